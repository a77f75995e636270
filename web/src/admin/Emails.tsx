/**
 * Email: the templates (an editor for subject, HTML and text, with a preview rendered by the server
 * from sample or given variables, shown in a sandboxed frame that runs no script), the campaigns
 * (create a draft for an audience, send it, cancel it, with its delivery stats) and the log of
 * every message sent. The tab is in the address (`?tab=`).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { describeError } from '../api.ts';
import { Alert, Field, useDocumentTitle, useFormat } from '../ui.tsx';
import { adminApi, type Campaign, type CampaignInput, type EmailLog, type EmailLogQuery, type EmailPreview, type EmailTemplate } from './api.ts';
import { AdminHeader, filled, FilterForm, PagedTable, QueryGate, SelectField, TextFilter, usePaged, withCursor, type Column } from './kit.tsx';

const TABS = ['templates', 'campaigns', 'logs'] as const;
type Tab = (typeof TABS)[number];
const LOG_STATUSES = ['queued', 'sent', 'delivered', 'opened', 'clicked', 'bounced', 'complained', 'failed'] as const satisfies readonly NonNullable<EmailLogQuery['status']>[];
const ROLES = ['user', 'vendor', 'admin'] as const;

export function Emails() {
  const { t } = useTranslation();
  useDocumentTitle(t('admin.emails.title'));
  const [params, setParams] = useSearchParams();
  const raw = params.get('tab');
  const tab: Tab = TABS.find((x) => x === raw) ?? 'templates';
  return (
    <section className="card" data-testid="admin-emails">
      <AdminHeader title={t('admin.emails.title')} lead={t('admin.emails.lead')} />
      <nav className="admin-tabs" aria-label={t('admin.emails.title')}>
        {TABS.map((x) => (
          <button
            key={x}
            type="button"
            className={`button button-small ${x === tab ? 'button-primary' : 'button-secondary'}`}
            aria-pressed={x === tab}
            onClick={() => setParams({ tab: x }, { replace: true })}
          >
            {t(`admin.emails.tabs.${x}`)}
          </button>
        ))}
      </nav>
      {tab === 'templates' && <Templates />}
      {tab === 'campaigns' && <Campaigns />}
      {tab === 'logs' && <Logs />}
    </section>
  );
}

function Templates() {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const list = usePaged(['admin', 'email-templates'], (cursor) => adminApi.emailTemplates(cursor));
  const columns: Column<EmailTemplate>[] = [
    {
      key: 'key',
      header: t('admin.emails.key'),
      cell: (e) => (
        <button type="button" className="button-link" onClick={() => setOpen(e.id)} aria-label={t('admin.emails.edit', { key: e.key, locale: e.locale })} data-testid={`admin-email-open-${e.key}-${e.locale}`}>
          <code>{e.key}</code>
        </button>
      ),
    },
    { key: 'locale', header: t('admin.users.locale'), cell: (e) => e.locale },
    { key: 'subject', header: t('admin.emails.subject'), cell: (e) => <bdi>{e.subject}</bdi> },
    { key: 'active', header: t('admin.fields.is_active'), cell: (e) => (e.is_active ? t('admin.yes') : t('admin.no')) },
  ];
  return (
    <>
      {open && <TemplateEditor key={open} id={open} onClose={() => setOpen(null)} />}
      <PagedTable list={list} label={t('admin.emails.tabs.templates')} columns={columns} rowKey={(e) => e.id} empty={t('admin.emails.noTemplates')} />
    </>
  );
}

function TemplateEditor({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const template = useQuery({ queryKey: ['admin', 'email-template', id], queryFn: () => adminApi.emailTemplate(id) });
  return (
    <QueryGate pending={template.isPending} error={template.error} retry={() => template.refetch()}>
      {template.data && <TemplateForm template={template.data} onClose={onClose} />}
      {!template.data && (
        <button type="button" className="button button-secondary" onClick={onClose}>
          {t('admin.cancel')}
        </button>
      )}
    </QueryGate>
  );
}

function TemplateForm({ template, onClose }: { template: EmailTemplate; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const headingId = useId();
  const [draft, setDraft] = useState({ subject: template.subject, html: template.html, text: template.text, is_active: template.is_active });
  const [vars, setVars] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<EmailPreview | null>(null);
  const save = useMutation({
    mutationFn: () => adminApi.patchEmailTemplate(template.id, draft),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin', 'email-template'] }).then(() => client.invalidateQueries({ queryKey: ['admin', 'email-templates'] })),
  });
  const render = useMutation({
    // The preview renders what is saved; save first so it shows the edited text.
    mutationFn: () => adminApi.previewEmailTemplate(template.id, filled(vars) as Record<string, string>),
    onSuccess: setPreview,
  });
  useEffect(() => document.getElementById(headingId)?.focus(), [headingId]);
  const dirty = draft.subject !== template.subject || draft.html !== template.html || draft.text !== template.text || draft.is_active !== template.is_active;
  const saveError = save.error ? describeError(save.error, [], t('common.genericError')) : null;

  return (
    <div className="card" data-testid="admin-email-editor">
      <h2 id={headingId} tabIndex={-1}>
        {t('admin.emails.editing', { key: template.key, locale: template.locale })}
      </h2>
      <div className="admin-editor">
        <form
          className="admin-form"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <Field id="admin-email-subject" className="wide" label={t('admin.emails.subject')} value={draft.subject} onChange={(e) => setDraft({ ...draft, subject: e.target.value })} />
          <div className="field wide">
            <label htmlFor="admin-email-html">{t('admin.emails.html')}</label>
            <textarea id="admin-email-html" dir="ltr" value={draft.html} onChange={(e) => setDraft({ ...draft, html: e.target.value })} />
          </div>
          <div className="field wide">
            <label htmlFor="admin-email-text">{t('admin.emails.text')}</label>
            <textarea id="admin-email-text" dir="ltr" value={draft.text} onChange={(e) => setDraft({ ...draft, text: e.target.value })} />
          </div>
          <label className="checkbox wide" htmlFor="admin-email-active">
            <input id="admin-email-active" type="checkbox" checked={draft.is_active} onChange={(e) => setDraft({ ...draft, is_active: e.target.checked })} />
            {t('admin.fields.is_active')}
          </label>
          {saveError && (
            <div className="wide">
              <Alert>{[saveError.message, ...saveError.other].join(' ')}</Alert>
            </div>
          )}
          {save.isSuccess && !dirty && (
            <div className="wide">
              <Alert kind="success">{t('admin.form.saved')}</Alert>
            </div>
          )}
          <div className="form-buttons admin-actions">
            <button type="submit" className="button button-primary" disabled={save.isPending || !dirty}>
              {t('admin.form.save')}
            </button>
            <button type="button" className="button button-secondary" onClick={onClose}>
              {t('admin.close')}
            </button>
          </div>
        </form>
        <form
          className="admin-form"
          onSubmit={(e) => {
            e.preventDefault();
            render.mutate();
          }}
          data-testid="admin-email-preview-form"
        >
          <h3 className="wide">{t('admin.emails.preview')}</h3>
          <p className="muted small wide">{dirty ? t('admin.emails.previewSavedOnly') : t('admin.emails.variablesHint')}</p>
          {template.variables.map((v) => (
            <Field key={v} id={`admin-email-var-${v}`} label={v} dir="ltr" value={vars[v] ?? ''} onChange={(e) => setVars({ ...vars, [v]: e.target.value })} />
          ))}
          <div className="form-buttons">
            <button type="submit" className="button button-secondary" disabled={render.isPending} data-testid="admin-email-preview">
              {t('admin.emails.preview')}
            </button>
          </div>
          {render.error && (
            <div className="wide">
              <Alert>{describeError(render.error, [], t('common.genericError')).message}</Alert>
            </div>
          )}
          {preview && (
            <div className="wide admin-body" data-testid="admin-email-rendered">
              <p>
                <strong>{t('admin.emails.subject')}:</strong> <bdi data-testid="admin-email-rendered-subject">{preview.subject}</bdi>
              </p>
              <iframe className="admin-preview-frame" title={t('admin.emails.htmlPreview')} sandbox="" srcDoc={preview.html} />
              <pre className="admin-pre" dir="auto">
                {preview.text}
              </pre>
            </div>
          )}
        </form>
      </div>
    </div>
  );
}

function Campaigns() {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const list = usePaged(['admin', 'campaigns'], (cursor) => adminApi.campaigns(cursor));
  const [creating, setCreating] = useState(false);
  const refresh = () => client.invalidateQueries({ queryKey: ['admin', 'campaigns'] });
  const send = useMutation({ mutationFn: adminApi.sendCampaign, onSuccess: refresh });
  const cancel = useMutation({ mutationFn: adminApi.cancelCampaign, onSuccess: refresh });
  const error = send.error ?? cancel.error;
  const columns: Column<Campaign>[] = [
    { key: 'name', header: t('admin.fields.name'), cell: (c) => <bdi>{c.name}</bdi> },
    { key: 'status', header: t('admin.status'), cell: (c) => t(`admin.emails.campaignStatus.${c.status}`) },
    { key: 'scheduled', header: t('admin.emails.scheduled'), cell: (c) => (c.scheduled_at ? format.date(c.scheduled_at, { dateStyle: 'medium', timeStyle: 'short' }) : '—') },
    { key: 'recipients', header: t('admin.emails.recipients'), numeric: true, cell: (c) => format.number(c.stats.recipients) },
    { key: 'sent', header: t('admin.emails.logStatus.sent'), numeric: true, cell: (c) => format.number(c.stats.sent) },
    { key: 'opened', header: t('admin.emails.logStatus.opened'), numeric: true, cell: (c) => format.number(c.stats.opened) },
    { key: 'clicked', header: t('admin.emails.logStatus.clicked'), numeric: true, cell: (c) => format.number(c.stats.clicked) },
    {
      key: 'actions',
      header: t('admin.actions'),
      cell: (c) => (
        <span className="admin-actions">
          {c.status === 'draft' && (
            <button type="button" className="button button-primary button-small" disabled={send.isPending} onClick={() => send.mutate(c.id)}>
              {t('admin.emails.send')}
            </button>
          )}
          {(c.status === 'draft' || c.status === 'sending') && (
            <button type="button" className="button button-secondary button-small" disabled={cancel.isPending} onClick={() => cancel.mutate(c.id)}>
              {t('admin.emails.cancelCampaign')}
            </button>
          )}
        </span>
      ),
    },
  ];
  return (
    <>
      {error && <Alert>{describeError(error, [], t('common.genericError')).message}</Alert>}
      {creating ? (
        <CampaignForm onDone={() => setCreating(false)} />
      ) : (
        <div>
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            {t('admin.emails.newCampaign')}
          </button>
        </div>
      )}
      <PagedTable list={list} label={t('admin.emails.tabs.campaigns')} columns={columns} rowKey={(c) => c.id} empty={t('admin.emails.noCampaigns')} />
    </>
  );
}

function CampaignForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const templates = usePaged(['admin', 'email-templates'], (cursor) => adminApi.emailTemplates(cursor));
  const [name, setName] = useState('');
  const [templateId, setTemplateId] = useState('');
  const [roles, setRoles] = useState<Array<(typeof ROLES)[number]>>([]);
  const [scheduled, setScheduled] = useState('');
  const create = useMutation({
    mutationFn: (body: CampaignInput) => adminApi.createCampaign(body),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['admin', 'campaigns'] });
      onDone();
    },
  });
  const described = create.error ? describeError(create.error, ['name', 'template_id'], t('common.genericError')) : null;
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({
      name: name.trim(),
      template_id: templateId,
      audience: roles.length ? { roles } : {},
      scheduled_at: scheduled ? new Date(scheduled).toISOString() : null,
    });
  }
  const options = templates.rows.map((x) => x.id);
  const label = (id: string) => {
    const x = templates.rows.find((r) => r.id === id);
    return x ? `${x.key} (${x.locale})` : id;
  };
  return (
    <form className="admin-form card" onSubmit={submit}>
      <h2 className="wide">{t('admin.emails.newCampaign')}</h2>
      <Field id="admin-campaign-name" label={t('admin.fields.name')} required value={name} onChange={(e) => setName(e.target.value)} error={described?.fields.name} />
      <SelectField id="admin-campaign-template" label={t('admin.emails.template')} value={templateId} options={options} optionLabel={label} any="—" onChange={setTemplateId} />
      <Field id="admin-campaign-scheduled" type="datetime-local" label={t('admin.emails.scheduled')} value={scheduled} onChange={(e) => setScheduled(e.target.value)} />
      <fieldset className="wide">
        <legend>{t('admin.emails.audienceRoles')}</legend>
        <div className="admin-actions">
          {ROLES.map((r) => (
            <label key={r} className="checkbox">
              <input type="checkbox" checked={roles.includes(r)} onChange={(e) => setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))} />
              {t(`admin.roles.${r}`)}
            </label>
          ))}
        </div>
      </fieldset>
      {described && (
        <div className="wide">
          <Alert>{[described.message, ...described.other].join(' ')}</Alert>
        </div>
      )}
      <div className="form-buttons admin-actions">
        <button type="submit" className="button button-primary" disabled={create.isPending || !templateId || !name.trim()}>
          {t('admin.form.create')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('admin.cancel')}
        </button>
      </div>
    </form>
  );
}

function Logs() {
  const { t } = useTranslation();
  const format = useFormat();
  const [draft, setDraft] = useState({ to: '', status: '' });
  const [applied, setApplied] = useState(draft);
  const query = filled(applied) as EmailLogQuery;
  const list = usePaged(['admin', 'email-logs', query], (cursor) => adminApi.emailLogs(withCursor(query, cursor)));
  const columns: Column<EmailLog>[] = [
    { key: 'when', header: t('admin.when'), cell: (l) => format.date(l.created_at, { dateStyle: 'medium', timeStyle: 'short' }) },
    { key: 'to', header: t('admin.emails.to'), cell: (l) => <bdi>{l.to}</bdi> },
    { key: 'key', header: t('admin.emails.key'), cell: (l) => <code>{l.template_key}</code> },
    { key: 'status', header: t('admin.status'), cell: (l) => t(`admin.emails.logStatus.${l.status}`) },
    { key: 'error', header: t('admin.generations.error'), cell: (l) => l.error ?? '—' },
  ];
  return (
    <>
      <FilterForm
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(draft);
        }}
      >
        <TextFilter id="admin-logs-to" label={t('admin.emails.to')} value={draft.to} onChange={(to) => setDraft({ ...draft, to })} />
        <SelectField
          id="admin-logs-status"
          label={t('admin.status')}
          value={draft.status as (typeof LOG_STATUSES)[number] | ''}
          options={LOG_STATUSES}
          optionLabel={(s) => t(`admin.emails.logStatus.${s}`)}
          any={t('admin.any')}
          onChange={(status) => setDraft({ ...draft, status })}
        />
      </FilterForm>
      <PagedTable list={list} label={t('admin.emails.tabs.logs')} columns={columns} rowKey={(l) => l.id} empty={t('admin.emails.noLogs')} />
    </>
  );
}
