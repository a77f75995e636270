/**
 * Credits and billing: the balance, packages and plans to buy with the providers this server
 * accepts (a checkout step with a coupon first), gift cards to buy and to redeem, coupon codes, the
 * subscription and its cancellation, payments (receipts) and the latest ledger entries. After a
 * gateway sends the buyer back (`/billing?payment=<id>`), the payment's outcome is shown at the top.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, describeError, type CheckoutInput, type Payment, type PaymentProvider, type Plan } from '../api.ts';
import { keys } from '../queries.ts';
import { useSignedIn } from '../session.ts';
import { Alert, Spinner, useDocumentTitle, useFormat } from '../ui.tsx';
import { CheckoutCard, GiftCardPurchase, PaymentHistory, RedeemForm, SubscriptionCard, useRefreshPayments, type Offer } from './BillingParts.tsx';

const PERIOD = { none: null, month: 'billing.perMonth', year: 'billing.perYear' } as const satisfies Record<Plan['billing_period'], string | null>;

/** Everything the screen shows, read together (one loading state, one error). */
async function loadBilling(audience: 'user' | 'vendor') {
  const [credits, packages, plans, providers, subscription, transactions] = await Promise.all([
    api.credits(),
    api.packages(),
    api.plans(audience),
    api.providers(),
    api.subscription(),
    api.transactions(),
  ]);
  return { credits, packages: packages.data, plans: plans.data, providers: providers.providers, subscription: subscription.subscription, transactions: transactions.data };
}

export function Billing() {
  const { t } = useTranslation();
  const format = useFormat();
  useDocumentTitle(t('billing.title'));
  const { user, reload } = useSignedIn();
  const audience = user.role === 'vendor' ? 'vendor' : 'user';
  const client = useQueryClient();
  const [params] = useSearchParams();
  const billing = useQuery({ queryKey: keys.billing(audience), queryFn: () => loadBilling(audience) });
  const data = billing.data;
  const generic = t('common.genericError');
  const [error, setError] = useState<string | null>(null);
  const [chosen, setProvider] = useState<PaymentProvider | null>(null);
  const provider = chosen ?? data?.providers[0] ?? null;
  const [pending, setPending] = useState<Payment | null>(null);
  const [returned, setReturned] = useState<Payment | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [offer, setOffer] = useState<Offer | null>(null);
  const refreshPayments = useRefreshPayments();
  const credits = (count: number) => t('common.credits', { count });
  const period = (p: Plan['billing_period']) => (PERIOD[p] ? t(PERIOD[p]) : '');
  const money = format.money;

  // After a purchase or a redeemed code the balance in the top bar moves too.
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: keys.billing(audience) });
    await refreshPayments();
    await reload();
  };

  // After a gateway sends the buyer back (`?payment=<id>`), that payment's outcome.
  const paymentId = params.get('payment');
  useEffect(() => {
    if (paymentId) api.payment(paymentId).then(setReturned, () => setReturned(null));
  }, [paymentId]);

  /** Starts a payment: off to the gateway, or (manual) the pending payment shown here. Answers the refusal, if any. */
  async function pay(item: Omit<CheckoutInput, 'provider'>, key: string): Promise<string | null> {
    if (!provider) return null;
    setBusy(key);
    setError(null);
    try {
      const result = await api.checkout({ ...item, provider } as CheckoutInput);
      if (provider !== 'manual' && result.redirect_url) {
        window.location.assign(result.redirect_url);
        return null;
      }
      setOffer(null);
      setPending(result.payment);
      await refreshPayments();
      return null;
    } catch (err) {
      // Shown by the form that asked (the checkout step or the gift card), where the buyer is looking.
      return describeError(err, [], generic).message;
    } finally {
      setBusy(null);
    }
  }

  async function completeManual(payment: Payment) {
    setBusy('complete');
    setError(null);
    try {
      const done = await api.completeManual(payment.id);
      setPending(null);
      setReturned(done);
      await refresh();
    } catch (err) {
      setError(describeError(err, [], generic).message);
    } finally {
      setBusy(null);
    }
  }

  if (!data) {
    return billing.error ? <Alert>{describeError(billing.error, [], generic).message}</Alert> : <Spinner label={t('billing.loading')} />;
  }
  const expiring = data.credits.expiring[0];

  return (
    <>
      <section className="hero">
        <div>
          <p className="eyebrow">{t('billing.title')}</p>
          <h1>
            <span data-testid="billing-balance">{format.number(data.credits.available)}</span> {t('billing.available')}
          </h1>
          <p className="muted">
            {[
              data.credits.held > 0 ? t('billing.held', { n: data.credits.held }) : null,
              t('billing.bought', { n: data.credits.total_purchased }),
              t('billing.used', { n: data.credits.total_used }),
              expiring ? t('billing.expire', { n: expiring.amount, date: format.date(expiring.expires_at) }) : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
        </div>
      </section>

      {error && <Alert testId="billing-error">{error}</Alert>}
      {returned && <PaymentOutcome payment={returned} />}
      {pending && (
        <div className="card pending-payment" data-testid="pending-payment">
          <h2>{t('billing.paymentWaiting')}</h2>
          <p>{t('billing.pendingText', { amount: money(pending.amount_minor, pending.currency), credits: credits(pending.credits) })}</p>
          <button type="button" className="button button-primary" onClick={() => void completeManual(pending)} disabled={busy !== null} data-testid="complete-payment">
            {busy === 'complete' ? t('billing.completing') : t('billing.markPaid')}
          </button>
        </div>
      )}

      {offer && <CheckoutCard key={offer.item.id} offer={offer} busy={busy !== null} onPay={(item) => pay(item, 'checkout')} onClose={() => setOffer(null)} />}

      {data.providers.length === 0 ? (
        <Alert kind="info">{t('billing.noProviders')}</Alert>
      ) : (
        data.providers.length > 1 && (
          <div className="segmented" role="radiogroup" aria-label={t('billing.payWith')}>
            {data.providers.map((p) => (
              <button key={p} type="button" role="radio" aria-checked={provider === p} className={provider === p ? 'active' : ''} onClick={() => setProvider(p)}>
                {t(`billing.providers.${p}`)}
              </button>
            ))}
          </div>
        )
      )}

      <h2 className="section-title">{t('billing.packages')}</h2>
      <div className="grid offers">
        {data.packages.map((p) => (
          <section key={p.id} className={`card offer${p.is_featured ? ' featured' : ''}`} data-testid={`package-${p.name}`}>
            <h3>{p.name}</h3>
            <p className="offer-credits">{credits(p.credits)}</p>
            <p className="offer-price">{money(p.amount_minor, p.currency)}</p>
            {p.description && <p className="muted small">{p.description}</p>}
            <button type="button" className="button button-primary" disabled={!provider || busy !== null} onClick={() => setOffer({ kind: 'package', item: p })}>
              {t('billing.buy')}
            </button>
          </section>
        ))}
      </div>

      <h2 className="section-title">{t('billing.plans')}</h2>
      {data.subscription && <SubscriptionCard subscription={data.subscription} onChanged={refresh} />}
      <div className="grid offers">
        {data.plans.map((p) => (
          <section key={p.id} className="card offer" data-testid={`plan-${p.name}`}>
            <h3>{p.display_name}</h3>
            <p className="offer-price">
              {p.amount_minor === 0 ? t('billing.free') : money(p.amount_minor, p.currency)}
              {p.amount_minor > 0 && period(p.billing_period)}
            </p>
            <p className="offer-credits">
              {credits(p.credits_per_period)}
              {period(p.billing_period)}
            </p>
            <ul className="features">
              {p.features.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
            {p.amount_minor > 0 && (
              <button type="button" className="button button-secondary" disabled={!provider || busy !== null} onClick={() => setOffer({ kind: 'plan', item: p })}>
                {data.subscription?.plan.id === p.id ? t('billing.extend') : t('billing.choose')}
              </button>
            )}
          </section>
        ))}
      </div>

      <div className="grid">
        <RedeemForm title={t('billing.giftCard')} label={t('billing.giftCardCode')} testId="gift-card" redeem={api.redeemGiftCard} onDone={refresh} />
        <RedeemForm title={t('billing.coupon')} label={t('billing.couponCode')} testId="coupon" redeem={api.redeemCoupon} onDone={refresh} />
        <GiftCardPurchase packages={data.packages} disabled={!provider || busy !== null} onPay={(gift) => pay({ gift_card: gift }, 'gift')} />
      </div>

      <PaymentHistory />

      <h2 className="section-title">{t('billing.activity')}</h2>
      <section className="card">
        {data.transactions.length === 0 ? (
          <p className="muted">{t('billing.noActivity')}</p>
        ) : (
          <table className="table" data-testid="transactions">
            <thead>
              <tr>
                <th>{t('billing.date')}</th>
                <th>{t('billing.what')}</th>
                <th className="num">{t('billing.credits')}</th>
                <th className="num">{t('billing.balance')}</th>
              </tr>
            </thead>
            <tbody>
              {data.transactions.map((row) => (
                <tr key={row.id}>
                  <td>{format.date(row.created_at, { dateStyle: 'medium', timeStyle: 'short' })}</td>
                  <td>{row.description ?? row.type.replaceAll('_', ' ')}</td>
                  <td className={`num ${row.amount < 0 ? 'negative' : 'positive'}`} dir="ltr">
                    {row.amount > 0 ? `+${format.number(row.amount)}` : format.number(row.amount)}
                  </td>
                  <td className="num">{format.number(row.balance_after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function PaymentOutcome({ payment }: { payment: Payment }) {
  const { t } = useTranslation();
  return (
    <Alert kind={payment.status === 'completed' ? 'success' : payment.status === 'pending' ? 'info' : 'error'} testId="payment-outcome">
      {t(`billing.outcome.${payment.status}`, { credits: t('common.credits', { count: payment.credits }) })}
    </Alert>
  );
}
