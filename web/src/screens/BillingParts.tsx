/**
 * The billing screen's parts beyond the offers: the checkout step (with a coupon checked against
 * the chosen package or plan before paying), buying a gift card for someone, the subscription with
 * its cancellation, the payment history (receipts), and redeeming a code.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { describeError, type CheckoutInput, type CreditPackage, type Plan, type Redeemed, type Subscription } from '../api.ts';
import { fieldMessage, showServerError } from '../forms.ts';
import { userApi, type CouponCheck } from '../userApi.ts';
import { Alert, Field, Spinner, useFormat } from '../ui.tsx';

/** What the buyer picked: a package or a plan, with what it costs before any coupon. */
export type Offer = { kind: 'package'; item: CreditPackage } | { kind: 'plan'; item: Plan };

const offerName = (o: Offer) => (o.kind === 'package' ? o.item.name : o.item.display_name);
const offerRef = (o: Offer) => (o.kind === 'package' ? { package_id: o.item.id } : { plan_id: o.item.id });

const couponSchema = z.object({ code: z.string().trim().min(1).max(64) });

/** The checkout step: the offer, a coupon (checked, its discount shown), then pay. */
export function CheckoutCard({ offer, busy, onPay, onClose }: { offer: Offer; busy: boolean; onPay: (input: Pick<CheckoutInput, 'coupon_code'> & ({ package_id: string } | { plan_id: string })) => Promise<string | null>; onClose: () => void }) {
  const { t } = useTranslation();
  const { money } = useFormat();
  const [applied, setApplied] = useState<{ code: string; check: CouponCheck } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ resolver: zodResolver(couponSchema), defaultValues: { code: '' } });
  const heading = useRef<HTMLHeadingElement>(null);
  // The step opens at the top of the page: bring it into view and put the keyboard there.
  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus();
  }, []);
  const price = offer.item.amount_minor;
  const currency = offer.item.currency;
  const check = form.handleSubmit(async ({ code }) => {
    setError(null);
    setApplied(null);
    try {
      const result = await userApi.validateCoupon({ code, ...offerRef(offer) });
      if (result.valid) setApplied({ code, check: result });
      else form.setError('code', { type: 'server', message: t('billingMore.couponInvalid') });
    } catch (err) {
      setError(showServerError(err, ['code'], form.setError, t('common.genericError')));
    }
  });
  const discount = applied ? Math.min(applied.check.discount_minor, price) : 0;
  return (
    <section className="card checkout" aria-labelledby="checkout-title" data-testid="checkout">
      <h2 id="checkout-title" ref={heading} tabIndex={-1}>{t('billingMore.checkoutTitle', { name: offerName(offer) })}</h2>
      {error && <Alert>{error}</Alert>}
      <form className="verify-form" onSubmit={(e) => void check(e)} noValidate>
        <Field
          id="checkout-coupon"
          label={t('billingMore.coupon')}
          autoComplete="off"
          error={fieldMessage(form.formState.errors.code, t('billingMore.couponRequired'))}
          {...form.register('code', { onChange: () => setApplied(null) })}
        />
        <button type="submit" className="button button-secondary" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? t('billingMore.checking') : t('billingMore.apply')}
        </button>
      </form>
      <dl className="summary" data-testid="checkout-summary">
        <dt>{t('billingMore.price')}</dt>
        <dd>{money(price, currency)}</dd>
        {applied && (
          <>
            <dt>{t('billingMore.discount', { code: applied.code })}</dt>
            <dd data-testid="checkout-discount" dir="ltr">
              −{money(discount, currency)}
            </dd>
            {applied.check.credits > 0 && (
              <>
                <dt>{t('billingMore.bonus')}</dt>
                <dd>{t('common.credits', { count: applied.check.credits })}</dd>
              </>
            )}
          </>
        )}
        <dt>{t('billingMore.total')}</dt>
        <dd data-testid="checkout-total">
          <strong>{money(price - discount, currency)}</strong>
        </dd>
      </dl>
      <div className="verify-actions">
        <button type="button" className="button button-primary" disabled={busy} onClick={() => void onPay({ ...offerRef(offer), ...(applied ? { coupon_code: applied.code } : {}) }).then(setError)} data-testid="checkout-pay">
          {busy ? t('billing.starting') : t('billingMore.pay', { amount: money(price - discount, currency) })}
        </button>
        <button type="button" className="button button-link" onClick={onClose} disabled={busy}>
          {t('gallery.cancel')}
        </button>
      </div>
    </section>
  );
}

const giftSchema = z.object({ package_id: z.string().min(1), recipient_email: z.email() });

/** A package bought for someone else: the code goes to their email once the payment completes. */
export function GiftCardPurchase({ packages, disabled, onPay }: { packages: CreditPackage[]; disabled: boolean; onPay: (gift: { package_id: string; recipient_email: string }) => Promise<string | null> }) {
  const { t } = useTranslation();
  const { money } = useFormat();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ resolver: zodResolver(giftSchema), defaultValues: { package_id: packages[0]?.id ?? '', recipient_email: '' } });
  const submit = form.handleSubmit(async (gift) => {
    setError(await onPay(gift));
  });
  if (packages.length === 0) return null;
  return (
    <section className="card" data-testid="gift-card-buy">
      <h2>{t('billingMore.giftTitle')}</h2>
      <p className="muted">{t('billingMore.giftText')}</p>
      {error && <Alert>{error}</Alert>}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label={t('billingMore.giftTitle')}>
        <div className="field">
          <label htmlFor="gift-package">{t('billingMore.giftPackage')}</label>
          <select id="gift-package" {...form.register('package_id')}>
            {packages.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} · {t('common.credits', { count: p.credits })} · {money(p.amount_minor, p.currency)}
              </option>
            ))}
          </select>
        </div>
        <Field id="gift-email" type="email" label={t('billingMore.giftEmail')} autoComplete="off" error={fieldMessage(form.formState.errors.recipient_email, t('billingMore.emailRule'))} {...form.register('recipient_email')} />
        <button type="submit" className="button button-secondary" disabled={disabled || form.formState.isSubmitting}>
          {t('billingMore.giftBuy')}
        </button>
      </form>
    </section>
  );
}

/** The subscription: its plan, when it renews or ends, and cancelling at the end of the period. */
export function SubscriptionCard({ subscription, onChanged }: { subscription: Subscription; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const end = subscription.current_period_end;
  async function cancel() {
    if (!window.confirm(t('billingMore.cancelConfirm', { plan: subscription.plan.display_name }))) return;
    setBusy(true);
    setError(null);
    try {
      await userApi.cancelSubscription();
      await onChanged();
    } catch (err) {
      setError(describeError(err, [], t('common.genericError')).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card" data-testid="subscription">
      <h3>
        {t('billing.yourPlan')} <bdi>{subscription.plan.display_name}</bdi>
      </h3>
      <p data-testid="subscription-status">
        {t(`billingMore.status.${subscription.status}`)}
        {end && <> · {t(subscription.cancel_at_period_end ? 'billing.ends' : 'billing.renews', { date: format.date(end) })}</>}
      </p>
      {error && <Alert>{error}</Alert>}
      {subscription.status === 'active' && !subscription.cancel_at_period_end && (
        <button type="button" className="button button-danger" onClick={() => void cancel()} disabled={busy} data-testid="subscription-cancel">
          {busy ? t('billingMore.cancelling') : t('billingMore.cancelPlan')}
        </button>
      )}
      {subscription.cancel_at_period_end && <p className="muted small">{t('billingMore.cancelled')}</p>}
    </section>
  );
}

export const paymentsKey = ['billing', 'payments'] as const;

/** The payments made from this account, newest first: the receipts. */
export function PaymentHistory() {
  const { t } = useTranslation();
  const format = useFormat();
  const payments = useQuery({ queryKey: paymentsKey, queryFn: userApi.payments, select: (page) => page.data });
  return (
    <section className="card">
      <h2>{t('billingMore.payments')}</h2>
      {payments.error ? (
        <Alert>{describeError(payments.error, [], t('common.genericError')).message}</Alert>
      ) : !payments.data ? (
        <Spinner label={t('common.loading')} />
      ) : payments.data.length === 0 ? (
        <p className="muted" data-testid="payments-empty">
          {t('billingMore.noPayments')}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="payments">
            <thead>
              <tr>
                <th>{t('billing.date')}</th>
                <th>{t('billing.what')}</th>
                <th className="num">{t('billingMore.amount')}</th>
                <th>{t('billingMore.state')}</th>
              </tr>
            </thead>
            <tbody>
              {payments.data.map((p) => (
                <tr key={p.id}>
                  <td>{format.date(p.created_at, { dateStyle: 'medium', timeStyle: 'short' })}</td>
                  <td>
                    {t(`billingMore.purpose.${p.purpose}`)} · {t('common.credits', { count: p.credits })} · {t(`billing.providers.${p.provider}`)}
                  </td>
                  <td className="num">
                    {format.money(p.amount_minor, p.currency)}
                    {p.discount_minor > 0 && <span className="muted small"> ({t('billingMore.saved', { amount: format.money(p.discount_minor, p.currency) })})</span>}
                  </td>
                  <td>{t(`billingMore.paymentStatus.${p.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const codeSchema = z.object({ code: z.string().trim().min(1).max(64) });

interface RedeemFormProps {
  title: string;
  label: string;
  testId: string;
  redeem: (code: string) => Promise<Redeemed>;
  onDone: () => Promise<void>;
}

/** A gift card or credits coupon code turned into credits. */
export function RedeemForm({ title, label, testId, redeem, onDone }: RedeemFormProps) {
  const { t } = useTranslation();
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const form = useForm({ resolver: zodResolver(codeSchema), defaultValues: { code: '' } });
  const submit = form.handleSubmit(async ({ code }) => {
    setMessage(null);
    try {
      const result = await redeem(code);
      setMessage({ kind: 'success', text: t('billing.added', { credits: t('common.credits', { count: result.credits_awarded }) }) });
      form.reset();
      await onDone();
    } catch (err) {
      const top = showServerError(err, ['code'], form.setError, t('common.genericError'));
      if (top) setMessage({ kind: 'error', text: top });
    }
  });
  const busy = form.formState.isSubmitting;
  return (
    <section className="card" data-testid={`redeem-${testId}`}>
      <h2>{title}</h2>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <form className="verify-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field id={`${testId}-code`} label={label} autoComplete="off" required error={fieldMessage(form.formState.errors.code, t('billingMore.codeRequired'))} {...form.register('code')} />
        <button type="submit" className="button button-secondary" disabled={busy}>
          {busy ? t('billing.redeeming') : t('billing.redeem')}
        </button>
      </form>
    </section>
  );
}

/** Reads billing and the payment list again after something changed. */
export function useRefreshPayments() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: paymentsKey });
}

