/**
 * Payments, newest first, filtered by status, provider and user (the filters live in the address,
 * so a user's detail can link to their payments). The last column is where a payment's actions go:
 * `PaymentActions` holds none yet (refunds come with their own endpoint).
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle, useFormat } from '../ui.tsx';
import { adminApi, type AdminPayment, type PaymentQuery } from './api.ts';
import { AdminHeader, FilterForm, PagedTable, SelectField, ShortId, TextFilter, useAddressFilters, usePaged, withCursor, type Column } from './kit.tsx';

const STATUSES = ['pending', 'completed', 'failed', 'cancelled', 'expired', 'refunded'] as const satisfies readonly NonNullable<PaymentQuery['status']>[];
const PROVIDERS = ['stripe', 'zarinpal', 'manual'] as const satisfies readonly NonNullable<PaymentQuery['provider']>[];

/** A payment's actions column. Refunds (POST /admin/payments/{id}/refund) are to be added here. */
function PaymentActions(_props: { payment: AdminPayment }) {
  return null;
}

export function Payments() {
  const { t } = useTranslation();
  const format = useFormat();
  useDocumentTitle(t('admin.payments.title'));
  const { draft, set, apply, query } = useAddressFilters<'status' | 'provider' | 'user_id', PaymentQuery>(['status', 'provider', 'user_id']);
  const list = usePaged(['admin', 'payments', query], (cursor) => adminApi.payments(withCursor(query, cursor)));

  const columns: Column<AdminPayment>[] = [
    { key: 'when', header: t('admin.when'), cell: (p) => format.date(p.created_at, { dateStyle: 'medium', timeStyle: 'short' }) },
    { key: 'user', header: t('admin.payments.user'), cell: (p) => (p.user_id ? <Link to={`/admin/users/${p.user_id}`}><ShortId id={p.user_id} /></Link> : '—') },
    { key: 'purpose', header: t('admin.payments.purpose'), cell: (p) => t(`admin.payments.purposes.${p.purpose}`) },
    { key: 'amount', header: t('admin.payments.amount'), numeric: true, cell: (p) => format.money(p.amount_minor, p.currency) },
    { key: 'credits', header: t('admin.payments.credits'), numeric: true, cell: (p) => format.number(p.credits) },
    { key: 'provider', header: t('admin.payments.provider'), cell: (p) => p.provider },
    { key: 'status', header: t('admin.status'), cell: (p) => t(`admin.payments.statuses.${p.status}`) },
    { key: 'actions', header: t('admin.actions'), cell: (p) => <PaymentActions payment={p} /> },
  ];

  return (
    <section className="card">
      <AdminHeader title={t('admin.payments.title')} lead={t('admin.payments.lead')} />
      <FilterForm onSubmit={apply}>
        <SelectField
          id="admin-payments-status"
          label={t('admin.status')}
          value={draft.status as (typeof STATUSES)[number] | ''}
          options={STATUSES}
          optionLabel={(s) => t(`admin.payments.statuses.${s}`)}
          any={t('admin.any')}
          onChange={(v) => set('status', v)}
        />
        <SelectField
          id="admin-payments-provider"
          label={t('admin.payments.provider')}
          value={draft.provider as (typeof PROVIDERS)[number] | ''}
          options={PROVIDERS}
          any={t('admin.any')}
          onChange={(v) => set('provider', v)}
        />
        <TextFilter id="admin-payments-user" label={t('admin.userId')} value={draft.user_id} onChange={(v) => set('user_id', v)} />
      </FilterForm>
      <PagedTable list={list} label={t('admin.payments.title')} columns={columns} rowKey={(p) => p.id} empty={t('admin.payments.empty')} testId="admin-payments" />
    </section>
  );
}
