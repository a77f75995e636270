/**
 * Payments, newest first, filtered by status, provider and user (the filters live in the address,
 * so a user's detail can link to their payments). The last column is where a payment's actions go:
 * A completed payment with something left to refund can be refunded from its row, in full or in
 * part (POST /admin/payments/{id}/refund: Stripe refunds at Stripe, manual and ZarinPal ones are
 * recorded; the unspent credits of the purchase are taken back).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { describeError } from '../api.ts';
import { Alert, useDocumentTitle, useFormat } from '../ui.tsx';
import { adminApi, type AdminPayment, type PaymentQuery, type RefundInput } from './api.ts';
import { AdminHeader, FilterForm, PagedTable, SelectField, ShortId, TextFilter, useAddressFilters, usePaged, withCursor, type Column } from './kit.tsx';

const STATUSES = ['pending', 'completed', 'failed', 'cancelled', 'expired', 'refunded'] as const satisfies readonly NonNullable<PaymentQuery['status']>[];
const PROVIDERS = ['stripe', 'zarinpal', 'manual'] as const satisfies readonly NonNullable<PaymentQuery['provider']>[];

/** A payment's actions column: a refund form, folded, on a completed payment with something left to refund. */
function PaymentActions({ payment }: { payment: AdminPayment }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queries = useQueryClient();
  const id = useId();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const refund = useMutation({
    mutationFn: (body: RefundInput) => adminApi.refundPayment(payment.id, body),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['admin', 'payments'] }),
  });
  const left = payment.amount_minor - payment.refunded_minor;
  if (refund.data) {
    return (
      <Alert kind="success" testId={`refund-done-${payment.id}`}>
        {t('admin.payments.refundDone', { amount: format.money(refund.data.amount_minor, refund.data.currency), credits: refund.data.credits_recovered })}
      </Alert>
    );
  }
  if (payment.status !== 'completed' || left <= 0) return null;

  function submit(e: FormEvent) {
    e.preventDefault();
    const minor = amount.trim() === '' ? undefined : Number(amount);
    refund.mutate({ ...(minor !== undefined ? { amount_minor: minor } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) });
  }

  return (
    <details className="refund" data-testid={`refund-${payment.id}`}>
      <summary>{t('admin.payments.refund')}</summary>
      <form onSubmit={submit} noValidate>
        <label htmlFor={`${id}-amount`}>{t('admin.payments.refundAmount', { currency: payment.currency, left: format.money(left, payment.currency) })}</label>
        <input id={`${id}-amount`} inputMode="numeric" dir="ltr" value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="refund-amount" />
        <label htmlFor={`${id}-reason`}>{t('admin.payments.refundReason')}</label>
        <input id={`${id}-reason`} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} data-testid="refund-reason" />
        {refund.error && <Alert>{describeError(refund.error, [], t('common.genericError')).message}</Alert>}
        <button type="submit" className="button button-secondary button-small" disabled={refund.isPending} data-testid="refund-submit">
          {t('admin.payments.refundSubmit')}
        </button>
      </form>
    </details>
  );
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
    { key: 'refunded', header: t('admin.payments.refunded'), numeric: true, cell: (p) => (p.refunded_minor > 0 ? format.money(p.refunded_minor, p.currency) : '—') },
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
