/**
 * Generations of every user, newest first, filtered by status, type, provider and user; a failed one
 * can be run again (a new hold of the same credits), after which the list is read again.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { describeError } from '../api.ts';
import { Alert, useDocumentTitle, useFormat } from '../ui.tsx';
import { adminApi, GENERATION_TYPES, type AdminGeneration, type GenerationQuery } from './api.ts';
import { AdminHeader, FilterForm, PagedTable, SelectField, ShortId, TextFilter, useAddressFilters, usePaged, withCursor, type Column } from './kit.tsx';

const STATUSES = ['pending', 'processing', 'completed', 'failed', 'cancelled'] as const satisfies readonly NonNullable<GenerationQuery['status']>[];

export function Generations() {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  useDocumentTitle(t('admin.generations.title'));
  const { draft, set, apply, query } = useAddressFilters<'status' | 'type' | 'user_id', GenerationQuery>(['status', 'type', 'user_id']);
  const list = usePaged(['admin', 'generations', query], (cursor) => adminApi.generations(withCursor(query, cursor)));
  const retry = useMutation({
    mutationFn: adminApi.retryGeneration,
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin', 'generations'] }),
  });

  const columns: Column<AdminGeneration>[] = [
    { key: 'when', header: t('admin.when'), cell: (g) => format.date(g.created_at, { dateStyle: 'medium', timeStyle: 'short' }) },
    { key: 'user', header: t('admin.payments.user'), cell: (g) => <Link to={`/admin/users/${g.user_id}`}><ShortId id={g.user_id} /></Link> },
    { key: 'type', header: t('admin.generations.type'), cell: (g) => `${g.studio} · ${g.type}` },
    { key: 'status', header: t('admin.status'), cell: (g) => t(`generations.status.${g.status}`) },
    { key: 'provider', header: t('admin.payments.provider'), cell: (g) => g.provider },
    { key: 'credits', header: t('admin.payments.credits'), numeric: true, cell: (g) => format.number(g.credits_used || g.credits_reserved) },
    { key: 'error', header: t('admin.generations.error'), cell: (g) => g.error?.message ?? g.error_code ?? '—' },
    {
      key: 'actions',
      header: t('admin.actions'),
      cell: (g) =>
        g.status === 'failed' ? (
          <button type="button" className="button button-secondary button-small" disabled={retry.isPending} onClick={() => retry.mutate(g.id)}>
            {t('admin.generations.retry')}
          </button>
        ) : null,
    },
  ];

  return (
    <section className="card">
      <AdminHeader title={t('admin.generations.title')} lead={t('admin.generations.lead')} />
      <FilterForm onSubmit={apply}>
        <SelectField
          id="admin-generations-status"
          label={t('admin.status')}
          value={draft.status as (typeof STATUSES)[number] | ''}
          options={STATUSES}
          optionLabel={(s) => t(`generations.status.${s}`)}
          any={t('admin.any')}
          onChange={(v) => set('status', v)}
        />
        <SelectField
          id="admin-generations-type"
          label={t('admin.generations.type')}
          value={draft.type as (typeof GENERATION_TYPES)[number] | ''}
          options={GENERATION_TYPES}
          any={t('admin.any')}
          onChange={(v) => set('type', v)}
        />
        <TextFilter id="admin-generations-user" label={t('admin.userId')} value={draft.user_id} onChange={(v) => set('user_id', v)} />
      </FilterForm>
      {retry.error && <Alert>{describeError(retry.error, [], t('common.genericError')).message}</Alert>}
      {retry.isSuccess && <Alert kind="success">{t('admin.generations.retried')}</Alert>}
      <PagedTable list={list} label={t('admin.generations.title')} columns={columns} rowKey={(g) => g.id} empty={t('admin.generations.empty')} />
    </section>
  );
}
