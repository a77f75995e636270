/**
 * The admin console's shared pieces: keyset-paged lists (TanStack Query's infinite queries over
 * `{ data, next_cursor }`), a table that scrolls sideways inside itself on a phone (a focusable,
 * labelled region, so the keyboard can scroll it too), and the loading, error and empty states
 * every list and card shows the same way.
 */
import { useInfiniteQuery, type QueryKey, type UseInfiniteQueryResult } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { describeError } from '../api.ts';
import { Alert, Spinner } from '../ui.tsx';
import type { Page } from './api.ts';

export type PagedList<T> = UseInfiniteQueryResult<{ pages: Page<T>[] }, Error> & { rows: T[] };

/** One list read page by page: `load(cursor)` answers a page; `rows` is every page so far. */
export function usePaged<T>(queryKey: QueryKey, load: (cursor: string | undefined) => Promise<Page<T>>): PagedList<T> {
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => load(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: Page<T>) => last.next_cursor ?? undefined,
  });
  return Object.assign(query, { rows: query.data?.pages.flatMap((p) => p.data) ?? [] });
}

/** What a query shows before it has data: a spinner, or the error with a retry. */
export function QueryGate({ pending, error, retry, children }: { pending: boolean; error: unknown; retry: () => unknown; children: ReactNode }) {
  const { t } = useTranslation();
  if (error) {
    return (
      <div className="admin-state" data-testid="admin-error">
        <Alert>{describeError(error, [], t('common.genericError')).message}</Alert>
        <button type="button" className="button button-secondary" onClick={() => void retry()}>
          {t('common.tryAgain')}
        </button>
      </div>
    );
  }
  if (pending) return <Spinner label={t('common.loading')} />;
  return <>{children}</>;
}

export interface Column<T> {
  key: string;
  header: string;
  cell: (row: T) => ReactNode;
  numeric?: boolean;
}

/** A table inside a region that scrolls sideways on its own, never the page. */
export function DataTable<T>({ label, columns, rows, rowKey, testId }: { label: string; columns: Column<T>[]; rows: T[]; rowKey: (row: T) => string; testId?: string }) {
  const id = useId();
  return (
    <div className="admin-table-wrap" role="region" aria-labelledby={id} tabIndex={0}>
      <table className="table admin-table" data-testid={testId}>
        <caption id={id} className="visually-hidden">
          {label}
        </caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.key} className={c.numeric ? 'num' : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A paged list as a table: loading, error, empty, then the rows and "Load more" while there are more. */
export function PagedTable<T>(props: { list: PagedList<T>; label: string; columns: Column<T>[]; rowKey: (row: T) => string; empty: string; testId?: string }) {
  const { t } = useTranslation();
  const { list } = props;
  return (
    <QueryGate pending={list.isPending} error={list.rows.length === 0 ? list.error : null} retry={() => list.refetch()}>
      {list.rows.length === 0 ? (
        <p className="empty" data-testid="admin-empty">
          {props.empty}
        </p>
      ) : (
        <>
          <DataTable label={props.label} columns={props.columns} rows={list.rows} rowKey={props.rowKey} {...(props.testId ? { testId: props.testId } : {})} />
          {list.error && <Alert>{describeError(list.error, [], t('common.genericError')).message}</Alert>}
          {list.hasNextPage && (
            <button type="button" className="button button-secondary" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {list.isFetchingNextPage ? t('common.loading') : t('admin.loadMore')}
            </button>
          )}
        </>
      )}
    </QueryGate>
  );
}

/** A screen's heading and its short explanation. */
export function AdminHeader({ title, lead, children }: { title: string; lead?: string; children?: ReactNode }) {
  return (
    <header className="admin-header">
      <div>
        <h1>{title}</h1>
        {lead && <p className="muted">{lead}</p>}
      </div>
      {children}
    </header>
  );
}

/** Form values without the empty ones (an empty filter means "any"). */
export function filled<T extends Record<string, string>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== '')) as Partial<T>;
}

/**
 * A list's filters kept in the address (so Back, a reload and a link all show the same list): the
 * applied ones, read from the address, and the draft the form edits until it is submitted.
 * `query` is the applied filters without the empty ones, as the list's query takes them.
 */
export function useAddressFilters<K extends string, Q>(names: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const applied = Object.fromEntries(names.map((n) => [n, params.get(n) ?? ''])) as Record<K, string>;
  const [draft, setDraft] = useState(applied);
  return {
    draft,
    query: filled(applied) as Q,
    set: (name: K, value: string) => setDraft({ ...draft, [name]: value }),
    apply: (e: FormEvent) => {
      e.preventDefault();
      setParams(filled(draft) as Record<string, string>, { replace: true });
    },
  };
}

/** One list's page of rows after `cursor` (none: the first), with `query` as its filters. */
export const withCursor = <Q extends object>(query: Q, cursor: string | undefined): Q & { cursor?: string } => (cursor ? { ...query, cursor } : query);

/** A labelled select of fixed options, the first meaning "any" when `any` is given. */
export function SelectField<V extends string>(props: { id: string; label: string; value: V | ''; options: readonly V[]; optionLabel?: (v: V) => string; any?: string; onChange: (v: V | '') => void }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value as V | '')}>
        {props.any !== undefined && <option value="">{props.any}</option>}
        {props.options.map((o) => (
          <option key={o} value={o}>
            {props.optionLabel ? props.optionLabel(o) : o}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A list's filter form: its fields, then the button that applies them. */
export function FilterForm({ onSubmit, submit, children, testId }: { onSubmit: (e: FormEvent) => void; submit?: string; children: ReactNode; testId?: string }) {
  const { t } = useTranslation();
  return (
    <form className="admin-filters" role="search" onSubmit={onSubmit} data-testid={testId}>
      {children}
      <button type="submit" className="button button-primary">
        {submit ?? t('admin.filter')}
      </button>
    </form>
  );
}

/** A labelled text filter (ids, addresses and codes read left to right in Persian too). */
export function TextFilter({ id, label, value, onChange, search }: { id: string; label: string; value: string; onChange: (v: string) => void; search?: boolean }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type={search ? 'search' : 'text'} dir={search ? undefined : 'ltr'} value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

/** An id, shortened for a table cell (the whole id in the tooltip and for screen readers' copy). */
export const ShortId = ({ id }: { id: string | null }) => (id ? <code title={id}>{id.slice(0, 8)}</code> : <span className="muted">—</span>);
