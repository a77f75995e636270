/**
 * The catalogue's one pattern for every kind the admin API offers (decision 071): a resource is
 * its list, create, change and delete calls (taken from `catalogueApi`, so typed by the generated
 * client), the columns its table shows and the fields its form edits. A field names a key of the
 * create or change body, so a field the server does not take does not compile; its kind says how
 * the form's text becomes the body's value (a number, a list, JSON, a date, null when emptied).
 * The form is react-hook-form with a zod schema built from the fields; the server's field errors
 * land under the fields they name. A change sends only the fields that were changed.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type ComponentType } from 'react';
import { useForm, type Resolver } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { describeError } from '../api.ts';
import type { en } from '../i18n/en.ts';
import { Alert, FieldMessages, describedBy, useFormat } from '../ui.tsx';
import type { Page } from './api.ts';
import { parseJson, toBodyValue, toFormValue, type FieldName, type FieldSpec } from './fields.ts';
import { PagedTable, usePaged, type Column } from './kit.tsx';

export interface ResourceSpec<Row extends { id: string }, C, P> {
  list: (cursor?: string) => Promise<Page<Row>>;
  create?: (body: C) => Promise<unknown>;
  update?: (id: string, body: P) => Promise<unknown>;
  remove?: (id: string) => Promise<unknown>;
  columns: Array<Extract<keyof Row, string> & FieldName>;
  fields: Array<FieldSpec<Extract<keyof C | keyof P, string>>>;
  /**
   * A screen of its own per row beside the form, for what the generic form cannot edit (a template's
   * metrics, decision 072): the label of its button and the screen, given the row's id and name.
   */
  panel?: { label: PanelLabel; Panel: ComponentType<{ id: string; title: string; onClose: () => void }> };
}

type PanelLabel = keyof (typeof en)['admin']['panels'];

type AnyRow = { id: string } & Record<string, unknown>;
type Loose = Record<string, unknown>;
export type AnyResource = ResourceSpec<AnyRow, Loose, Loose>;

/** Checks a resource against its calls' types, then forgets them (the screen treats all alike). */
export const resource = <Row extends { id: string }, C, P>(spec: ResourceSpec<Row, C, P>): AnyResource => spec as unknown as AnyResource;

type FormValues = Record<string, string | boolean>;

/** A stored value in the reader's language where the strings name it (`admin.values.<field>.<value>`), else as stored. */
function useValueLabel() {
  const { t, i18n } = useTranslation();
  return (field: string, value: string): string => {
    const key = `admin.values.${field}.${value}`;
    // A key built at run time, known to exist: typed as one of its kind for `t`.
    return i18n.exists(key) ? t(key as 'admin.values.audience.user') : value;
  };
}

function useSchema(fields: Array<FieldSpec<string>>) {
  const { t } = useTranslation();
  const shape: Record<string, z.ZodType> = {};
  for (const f of fields) {
    if (f.kind === 'boolean') {
      shape[f.name] = z.boolean();
      continue;
    }
    let s = z.string();
    if (f.required) s = s.refine((v) => v.trim() !== '', t('admin.form.required'));
    if (f.kind === 'number') s = s.refine((v) => v.trim() === '' || /^-?\d+$/.test(v.trim()), t('admin.form.wholeNumber'));
    if (f.kind === 'json') s = s.refine((v) => v.trim() === '' || parseJson(v).ok, t('admin.form.json'));
    shape[f.name] = s;
  }
  return z.object(shape);
}

/** The form of one resource: a new one (`row` null) or a change of `row`. */
function ResourceForm({ spec, row, onDone }: { spec: AnyResource; row: AnyRow | null; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const valueLabel = useValueLabel();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const fields = spec.fields.filter((f) => f.only !== (row ? 'create' : 'update'));
  const schema = useSchema(fields);
  const defaults = Object.fromEntries(fields.map((f) => [f.name, row ? toFormValue(f.kind, row[f.name]) : f.kind === 'boolean' ? f.name === 'is_active' : '']));
  // The schema is built from the fields at run time; its values are the form's own (text or a tick).
  const form = useForm<FormValues>({ resolver: zodResolver(schema) as unknown as Resolver<FormValues>, defaultValues: defaults });
  const [error, setError] = useState<string | null>(null);
  const client = useQueryClient();

  useEffect(() => heading.current?.focus(), []);

  const save = useMutation({
    mutationFn: async (values: FormValues) => {
      const dirty = form.formState.dirtyFields as Record<string, boolean | undefined>;
      const body: Record<string, unknown> = {};
      for (const f of fields) {
        if (row && !dirty[f.name]) continue;
        const v = toBodyValue(f, values[f.name] ?? '', row ? 'update' : 'create');
        if (v !== undefined) body[f.name] = v;
      }
      return row ? spec.update!(row.id, body) : spec.create!(body);
    },
    onSuccess: async (answer) => {
      await client.invalidateQueries({ queryKey: ['admin', 'catalogue'] });
      // A promotional gift card's code is in the creating answer only.
      const code = answer && typeof answer === 'object' && 'code' in answer ? String((answer as { code: unknown }).code) : null;
      onDone(code ? t('admin.form.createdWithCode', { code }) : row ? t('admin.form.saved') : t('admin.form.created'));
    },
    onError: (err) => {
      const described = describeError(err, fields.map((f) => f.name), t('common.genericError'));
      for (const [name, message] of Object.entries(described.fields)) form.setError(name, { message });
      setError([described.message, ...described.other].join(' '));
    },
  });

  const errors = form.formState.errors;
  return (
    <form className="admin-form card" noValidate aria-labelledby={headingId} onSubmit={form.handleSubmit((v) => save.mutate(v))} data-testid="admin-resource-form">
      <h2 id={headingId} ref={heading} tabIndex={-1} className="wide">
        {row ? t('admin.form.editTitle') : t('admin.form.newTitle')}
      </h2>
      {error && (
        <div className="wide">
          <Alert>{error}</Alert>
        </div>
      )}
      {fields.map((f) => {
        const id = `admin-field-${f.name}`;
        const label = t(`admin.fields.${f.name}`);
        const message = errors[f.name]?.message;
        const err = typeof message === 'string' ? message : undefined;
        const aria = { 'aria-invalid': err ? true : undefined, 'aria-describedby': describedBy(id, null, err) };
        if (f.kind === 'boolean') {
          return (
            <label key={f.name} className="checkbox" htmlFor={id}>
              <input id={id} type="checkbox" {...form.register(f.name)} />
              {label}
            </label>
          );
        }
        const wide = f.kind === 'textarea' || f.kind === 'json';
        return (
          <div key={f.name} className={`field${wide ? ' wide' : ''}${err ? ' has-error' : ''}`}>
            <label htmlFor={id}>
              {label}
              {f.required && !row ? ' *' : ''}
            </label>
            {Array.isArray(f.kind) ? (
              <select id={id} {...aria} {...form.register(f.name)}>
                {!f.required && <option value="">—</option>}
                {f.kind.map((o) => (
                  <option key={o} value={o}>
                    {valueLabel(f.name, o)}
                  </option>
                ))}
              </select>
            ) : wide ? (
              <textarea id={id} dir={f.kind === 'json' ? 'ltr' : undefined} {...aria} {...form.register(f.name)} />
            ) : (
              <input
                id={id}
                type={f.kind === 'date' ? 'date' : f.kind === 'datetime' ? 'datetime-local' : 'text'}
                inputMode={f.kind === 'number' ? 'numeric' : undefined}
                {...aria}
                {...form.register(f.name)}
              />
            )}
            <FieldMessages id={id} error={err} />
          </div>
        );
      })}
      <div className="form-buttons admin-actions">
        <button type="submit" className="button button-primary" disabled={save.isPending} data-testid="admin-resource-save">
          {save.isPending ? t('admin.form.saving') : row ? t('admin.form.save') : t('admin.form.create')}
        </button>
        <button type="button" className="button button-secondary" onClick={() => onDone('')}>
          {t('admin.cancel')}
        </button>
      </div>
    </form>
  );
}

/** A value as a table cell shows it. */
function useCell() {
  const { t } = useTranslation();
  const format = useFormat();
  const valueLabel = useValueLabel();
  return (row: AnyRow, key: string) => {
    const v = row[key];
    if (key === 'amount_minor' && typeof v === 'number' && typeof row.currency === 'string') return format.money(v, row.currency);
    if (typeof v === 'boolean') return v ? t('admin.yes') : t('admin.no');
    if (typeof v === 'number') return format.number(v);
    if (v === null || v === undefined || v === '') return '—';
    if (Array.isArray(v)) return v.join(', ');
    if (typeof v === 'object') return <code>{JSON.stringify(v).slice(0, 40)}</code>;
    if (/^\d{4}-\d\d-\d\dT/.test(String(v))) return format.date(String(v));
    return <bdi>{valueLabel(key, String(v))}</bdi>;
  };
}

/** One resource's screen: its table (with change and delete per row) and, when open, its form. */
export function ResourceView({ kind, spec }: { kind: string; spec: AnyResource }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const cell = useCell();
  const list = usePaged(['admin', 'catalogue', kind], (cursor) => spec.list(cursor));
  const [editing, setEditing] = useState<AnyRow | 'new' | null>(null);
  const [panelFor, setPanelFor] = useState<AnyRow | null>(null);
  /** One row's form or panel; opening one closes the other. */
  const open = (row: AnyRow, what: 'form' | 'panel') => {
    setEditing(what === 'form' ? row : null);
    setPanelFor(what === 'panel' ? row : null);
  };
  const [notice, setNotice] = useState('');
  const [confirm, setConfirm] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => spec.remove!(id),
    onSuccess: async () => {
      setConfirm(null);
      setNotice(t('admin.form.deleted'));
      await client.invalidateQueries({ queryKey: ['admin', 'catalogue', kind] });
    },
  });

  useEffect(() => {
    setEditing(null);
    setPanelFor(null);
    setNotice('');
    setConfirm(null);
  }, [kind]);

  const columns: Column<AnyRow>[] = spec.columns.map((key) => ({ key, header: t(`admin.fields.${key}`), cell: (row: AnyRow) => cell(row, key), numeric: key === 'amount_minor' || key === 'credits' }));
  // The actions come first: on a phone the table scrolls, and they stay in sight.
  if (spec.update || spec.remove || spec.panel) {
    columns.unshift({
      key: 'actions',
      header: t('admin.actions'),
      cell: (row) => (
        <span className="admin-actions">
          {spec.update && (
            <button type="button" className="button button-secondary button-small" onClick={() => open(row, 'form')} data-testid="admin-resource-edit">
              {t('admin.form.edit')}
            </button>
          )}
          {spec.panel && (
            <button type="button" className="button button-secondary button-small" onClick={() => open(row, 'panel')} data-testid="admin-resource-panel">
              {t(`admin.panels.${spec.panel.label}`)}
            </button>
          )}
          {spec.remove &&
            (confirm === row.id ? (
              <button type="button" className="button button-danger button-small" disabled={remove.isPending} onClick={() => remove.mutate(row.id)}>
                {t('admin.form.confirmDelete')}
              </button>
            ) : (
              <button type="button" className="button button-secondary button-small" onClick={() => setConfirm(row.id)}>
                {t('admin.form.delete')}
              </button>
            ))}
        </span>
      ),
    });
  }

  return (
    <>
      {notice && <Alert kind="success" testId="admin-notice">{notice}</Alert>}
      {remove.error && <Alert>{describeError(remove.error, [], t('common.genericError')).message}</Alert>}
      {panelFor && spec.panel && (
        <spec.panel.Panel key={panelFor.id} id={panelFor.id} title={typeof panelFor.name === 'string' ? panelFor.name : panelFor.id} onClose={() => setPanelFor(null)} />
      )}
      {editing ? (
        <ResourceForm
          key={editing === 'new' ? 'new' : editing.id}
          spec={spec}
          row={editing === 'new' ? null : editing}
          onDone={(message) => {
            setEditing(null);
            setNotice(message);
          }}
        />
      ) : (
        spec.create && (
          <div>
            <button type="button" className="button button-primary" onClick={() => setEditing('new')} data-testid="admin-resource-new">
              {t('admin.form.new')}
            </button>
          </div>
        )
      )}
      <PagedTable list={list} label={t(`admin.catalogue.kinds.${kind as CatalogueKind}`)} columns={columns} rowKey={(r) => r.id} empty={t('admin.catalogue.empty')} testId="admin-resource-table" />
    </>
  );
}

export type CatalogueKind = keyof (typeof en)['admin']['catalogue']['kinds'];
