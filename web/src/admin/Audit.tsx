/**
 * The audit trail, newest first: who changed what, when and from where, each row with its before
 * and after (folded away until asked for). Filters by action, target and actor, kept in the address.
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle, useFormat } from '../ui.tsx';
import { adminApi, type AuditQuery, type AuditRow } from './api.ts';
import { AdminHeader, FilterForm, PagedTable, ShortId, TextFilter, useAddressFilters, usePaged, withCursor, type Column } from './kit.tsx';

const FILTERS = ['action', 'target_type', 'target_id', 'actor_id'] as const;
type FilterName = (typeof FILTERS)[number];
const json = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v, null, 2));

export function Audit() {
  const { t } = useTranslation();
  const format = useFormat();
  useDocumentTitle(t('admin.audit.title'));
  const { draft, set, apply, query } = useAddressFilters<FilterName, AuditQuery>(FILTERS);
  const list = usePaged(['admin', 'audit', query], (cursor) => adminApi.auditLogs(withCursor(query, cursor)));

  const columns: Column<AuditRow>[] = [
    { key: 'when', header: t('admin.when'), cell: (r) => format.date(r.created_at, { dateStyle: 'medium', timeStyle: 'short' }) },
    { key: 'actor', header: t('admin.audit.actor'), cell: (r) => (r.actor_id ? <Link to={`/admin/users/${r.actor_id}`}><ShortId id={r.actor_id} /></Link> : t(`admin.roles.${r.actor_type}`)) },
    { key: 'action', header: t('admin.audit.action'), cell: (r) => <code data-testid="admin-audit-action">{r.action}</code> },
    { key: 'target', header: t('admin.audit.target'), cell: (r) => (r.target_type ? <>{r.target_type} <ShortId id={r.target_id} /></> : '—') },
    { key: 'ip', header: t('admin.audit.ip'), cell: (r) => <bdi>{r.ip ?? '—'}</bdi> },
    {
      key: 'change',
      header: t('admin.audit.change'),
      cell: (r) => (
        <details>
          <summary>{t('admin.audit.show')}</summary>
          <div className="admin-editor">
            <div>
              <h3 className="small">{t('admin.audit.before')}</h3>
              <pre className="admin-pre" dir="ltr">{json(r.before)}</pre>
            </div>
            <div>
              <h3 className="small">{t('admin.audit.after')}</h3>
              <pre className="admin-pre" dir="ltr">{json(r.after)}</pre>
            </div>
          </div>
        </details>
      ),
    },
  ];

  const input = (name: FilterName, label: string) => <TextFilter id={`admin-audit-${name}`} label={label} value={draft[name]} onChange={(v) => set(name, v)} />;

  return (
    <section className="card">
      <AdminHeader title={t('admin.audit.title')} lead={t('admin.audit.lead')} />
      <FilterForm onSubmit={apply}>
        {input('action', t('admin.audit.action'))}
        {input('target_type', t('admin.audit.targetType'))}
        {input('target_id', t('admin.audit.targetId'))}
        {input('actor_id', t('admin.audit.actorId'))}
      </FilterForm>
      <PagedTable list={list} label={t('admin.audit.title')} columns={columns} rowKey={(r) => r.id} empty={t('admin.audit.empty')} testId="admin-audit" />
    </section>
  );
}
