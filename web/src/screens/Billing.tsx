/**
 * Credits and billing: the balance, packages and plans to buy with the providers this server
 * accepts, gift card and coupon codes, and the latest ledger entries. After a gateway sends the
 * buyer back (`/billing?payment=<id>`), the payment's outcome is shown at the top.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import {
  api,
  describeError,
  type CheckoutInput,
  type CreditPackage,
  type Credits,
  type LedgerRow,
  type Payment,
  type PaymentProvider,
  type Plan,
  type Redeemed,
  type Subscription,
} from '../api.ts';
import { formatMoney as money } from '../format.ts';
import { queryParam } from '../router.ts';

const formatMoney = (minor: number, currency: string) => money(minor, currency, 'en');
import { Alert, Field, Spinner, useDocumentTitle } from '../ui.tsx';

const PROVIDER_LABELS: Record<PaymentProvider, string> = { stripe: 'Card (Stripe)', zarinpal: 'ZarinPal', manual: 'Manual (offline)' };
const PERIOD: Record<Plan['billing_period'], string> = { none: '', month: ' / month', year: ' / year' };

interface Data {
  credits: Credits;
  packages: CreditPackage[];
  plans: Plan[];
  providers: PaymentProvider[];
  subscription: Subscription | null;
  transactions: LedgerRow[];
}

export function Billing({ audience, reload }: { audience: 'user' | 'vendor'; reload: () => Promise<void> }) {
  useDocumentTitle('Credits & billing');
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [provider, setProvider] = useState<PaymentProvider | null>(null);
  const [pending, setPending] = useState<Payment | null>(null);
  const [returned, setReturned] = useState<Payment | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [credits, packages, plans, providers, subscription, transactions] = await Promise.all([
        api.credits(),
        api.packages(),
        api.plans(audience),
        api.providers(),
        api.subscription(),
        api.transactions(),
      ]);
      setData({ credits, packages: packages.data, plans: plans.data, providers: providers.providers, subscription: subscription.subscription, transactions: transactions.data });
      setProvider((p) => p ?? providers.providers[0] ?? null);
    } catch (err) {
      setError(describeError(err, []).message);
    }
  }, [audience]);

  // After a purchase or a redeemed code the balance in the top bar moves too (on opening, the
  // signed-in shell has just read the account itself).
  const refresh = useCallback(async () => {
    await load();
    await reload();
  }, [load, reload]);

  useEffect(() => {
    void load();
    const paymentId = queryParam('payment');
    if (paymentId) api.payment(paymentId).then(setReturned, () => setReturned(null));
  }, [load]);

  async function buy(item: { package_id: string } | { plan_id: string }, key: string) {
    if (!provider) return;
    setBusy(key);
    setError(null);
    try {
      const result = await api.checkout({ ...item, provider } as CheckoutInput);
      if (provider !== 'manual' && result.redirect_url) {
        window.location.assign(result.redirect_url);
        return;
      }
      setPending(result.payment);
    } catch (err) {
      setError(describeError(err, []).message);
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
      setError(describeError(err, []).message);
    } finally {
      setBusy(null);
    }
  }

  if (!data) {
    return error ? <Alert>{error}</Alert> : <Spinner label="Loading billing…" />;
  }

  return (
    <>
      <section className="hero">
        <div>
          <p className="eyebrow">Credits & billing</p>
          <h1>
            <span data-testid="billing-balance">{data.credits.available}</span> credits available
          </h1>
          <p className="muted">
            {data.credits.held > 0 && <>{data.credits.held} on hold for running jobs · </>}
            {data.credits.total_purchased} bought · {data.credits.total_used} used
            {data.credits.expiring[0] && <> · {data.credits.expiring[0].amount} expire on {new Date(data.credits.expiring[0].expires_at).toLocaleDateString()}</>}
          </p>
        </div>
      </section>

      {error && <Alert testId="billing-error">{error}</Alert>}
      {returned && <PaymentOutcome payment={returned} />}
      {pending && (
        <div className="card pending-payment" data-testid="pending-payment">
          <h2>Payment waiting</h2>
          <p>
            {formatMoney(pending.amount_minor, pending.currency)} for {pending.credits} credits, paid offline. An admin (or you, on a
            demo server) marks it paid:
          </p>
          <button type="button" className="button button-primary" onClick={() => void completeManual(pending)} disabled={busy !== null} data-testid="complete-payment">
            {busy === 'complete' ? 'Completing…' : 'Mark as paid'}
          </button>
        </div>
      )}

      {data.providers.length === 0 ? (
        <Alert kind="info">Payments are not enabled on this server yet.</Alert>
      ) : (
        data.providers.length > 1 && (
          <div className="segmented" role="radiogroup" aria-label="Pay with">
            {data.providers.map((p) => (
              <button key={p} type="button" role="radio" aria-checked={provider === p} className={provider === p ? 'active' : ''} onClick={() => setProvider(p)}>
                {PROVIDER_LABELS[p]}
              </button>
            ))}
          </div>
        )
      )}

      <h2 className="section-title">Credit packages</h2>
      <div className="grid offers">
        {data.packages.map((p) => (
          <section key={p.id} className={`card offer${p.is_featured ? ' featured' : ''}`} data-testid={`package-${p.name}`}>
            <h3>{p.name}</h3>
            <p className="offer-credits">{p.credits} credits</p>
            <p className="offer-price">{formatMoney(p.amount_minor, p.currency)}</p>
            {p.description && <p className="muted small">{p.description}</p>}
            <button type="button" className="button button-primary" disabled={!provider || busy !== null} onClick={() => void buy({ package_id: p.id }, p.id)}>
              {busy === p.id ? 'Starting…' : 'Buy'}
            </button>
          </section>
        ))}
      </div>

      <h2 className="section-title">Plans</h2>
      {data.subscription && (
        <p data-testid="subscription">
          Your plan: <strong>{data.subscription.plan.display_name}</strong> ({data.subscription.status}
          {data.subscription.current_period_end && <>, {data.subscription.cancel_at_period_end ? 'ends' : 'renews'} {new Date(data.subscription.current_period_end).toLocaleDateString()}</>})
        </p>
      )}
      <div className="grid offers">
        {data.plans.map((p) => (
          <section key={p.id} className="card offer" data-testid={`plan-${p.name}`}>
            <h3>{p.display_name}</h3>
            <p className="offer-price">
              {p.amount_minor === 0 ? 'Free' : formatMoney(p.amount_minor, p.currency)}
              {p.amount_minor > 0 && PERIOD[p.billing_period]}
            </p>
            <p className="offer-credits">{p.credits_per_period} credits{PERIOD[p.billing_period]}</p>
            <ul className="features">
              {p.features.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
            {p.amount_minor > 0 && (
              <button type="button" className="button button-secondary" disabled={!provider || busy !== null} onClick={() => void buy({ plan_id: p.id }, p.id)}>
                {busy === p.id ? 'Starting…' : data.subscription?.plan.id === p.id ? 'Extend' : 'Choose'}
              </button>
            )}
          </section>
        ))}
      </div>

      <div className="grid">
        <RedeemForm title="Redeem a gift card" label="Gift card code" testId="gift-card" redeem={api.redeemGiftCard} onDone={refresh} />
        <RedeemForm title="Redeem a coupon" label="Coupon code" testId="coupon" redeem={api.redeemCoupon} onDone={refresh} />
      </div>

      <h2 className="section-title">Recent activity</h2>
      <section className="card">
        {data.transactions.length === 0 ? (
          <p className="muted">No credit activity yet.</p>
        ) : (
          <table className="table" data-testid="transactions">
            <thead>
              <tr>
                <th>Date</th>
                <th>What</th>
                <th className="num">Credits</th>
                <th className="num">Balance</th>
              </tr>
            </thead>
            <tbody>
              {data.transactions.map((t) => (
                <tr key={t.id}>
                  <td>{new Date(t.created_at).toLocaleString()}</td>
                  <td>{t.description ?? t.type.replaceAll('_', ' ')}</td>
                  <td className={`num ${t.amount < 0 ? 'negative' : 'positive'}`}>{t.amount > 0 ? `+${t.amount}` : t.amount}</td>
                  <td className="num">{t.balance_after}</td>
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
  const text: Record<Payment['status'], string> = {
    completed: `Payment received: ${payment.credits} credits are yours.`,
    pending: 'Your payment is being confirmed. This page shows it as soon as the provider tells us.',
    failed: 'The payment did not go through; nothing was charged to your credits.',
    cancelled: 'The payment was cancelled.',
    expired: 'The payment expired before it was completed.',
    refunded: 'This payment was refunded.',
  };
  return (
    <Alert kind={payment.status === 'completed' ? 'success' : payment.status === 'pending' ? 'info' : 'error'} testId="payment-outcome">
      {text[payment.status]}
    </Alert>
  );
}

interface RedeemFormProps {
  title: string;
  label: string;
  testId: string;
  redeem: (code: string) => Promise<Redeemed>;
  onDone: () => Promise<void>;
}

function RedeemForm({ title, label, testId, redeem, onDone }: RedeemFormProps) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const result = await redeem(code.trim());
      setMessage({ kind: 'success', text: `${result.credits_awarded} credits added.` });
      setCode('');
      await onDone();
    } catch (err) {
      const d = describeError(err, ['code']);
      setMessage({ kind: 'error', text: d.fields.code ?? d.message });
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card" data-testid={`redeem-${testId}`}>
      <h2>{title}</h2>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <form className="verify-form" onSubmit={submit} noValidate>
        <Field id={`${testId}-code`} label={label} value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" required />
        <button type="submit" className="button button-secondary" disabled={busy || code.trim() === ''}>
          {busy ? 'Redeeming…' : 'Redeem'}
        </button>
      </form>
    </section>
  );
}
