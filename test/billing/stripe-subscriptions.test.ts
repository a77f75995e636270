/**
 * Stripe subscriptions: the first period granted once, renewals by invoice, changes and
 * cancellation followed from Stripe, cancel at period end told to Stripe.
 * Real: app, database, the ledger, the `stripe` SDK, parallel deliveries. Stand-in: Stripe's API is
 * a local node:http server (test/helpers/stripe-stand-in.ts) whose subscriptions and invoices the
 * tests move along; events are signed with the SDK's generateTestHeaderString.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkCreditInvariants } from '../../src/modules/billing/index.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { countRows, signUp } from '../helpers/accounts.ts';
import { deliverStripeEvent, planGrantCount, startStripeStandIn, stripeEnv, type StripeStandIn } from '../helpers/stripe-stand-in.ts';

let stripe: StripeStandIn;
let t: TestApp;
let planId: string;
beforeAll(async () => {
  stripe = await startStripeStandIn();
  t = await createTestApp({ env: stripeEnv(stripe) });
  const [plan] = await sqlRows<{ id: string }>(
    t,
    `insert into plans (name, display_name, audience, amount_minor, currency, billing_period, credits_per_period)
     values ('stripe_studio', 'Studio', 'user', 1500, 'USD', 'month', 40) returning id`,
  );
  planId = plan!.id;
});
afterEach(async () => {
  expect(await checkCreditInvariants(t.database.db)).toEqual([]);
});
afterAll(async () => {
  await t?.close();
  await stripe?.close();
});

const deliver = (d: { payload: string; signature: string }) => deliverStripeEvent(t.app, d);
const balance = async (token: string) => (await call(t.app, 'GET', '/api/v1/credits', { token })).data.available as number;
const subscriptionOf = async (token: string) => (await call(t.app, 'GET', '/api/v1/billing/subscription', { token })).data.subscription;
const planGrants = (userId: string) => planGrantCount(t, userId);
const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

/** A buyer who has paid a Studio subscription at the stand-in (no event delivered yet). */
async function paidSubscription() {
  const u = await signUp(t.app);
  const res = await call(t.app, 'POST', '/api/v1/billing/checkout', { token: u.access_token, body: { plan_id: planId, provider: 'stripe' } });
  expect(res.statusCode, res.body).toBe(201);
  const session = [...stripe.sessions.values()].find((s) => s.client_reference_id === res.data.payment.id)!;
  const paid = stripe.pay(session.id);
  return { u, paymentId: res.data.payment.id as string, ...paid, subscription: paid.subscription!, invoice: paid.invoice! };
}

/** A buyer whose first period has been granted. */
async function activeSubscription() {
  const s = await paidSubscription();
  expect((await deliver(stripe.event('checkout.session.completed', s.session))).data.outcome).toBe('processed');
  return s;
}

describe('Stripe subscriptions', () => {
  it('the first period is granted once, whether the session or its first invoice arrives first, or both at once', async () => {
    for (const order of ['session-first', 'invoice-first', 'together'] as const) {
      const { u, paymentId, session, subscription, invoice } = await paidSubscription();
      const completed = stripe.event('checkout.session.completed', session);
      const invoicePaid = stripe.event('invoice.paid', invoice);
      if (order === 'together') await Promise.all([deliver(completed), deliver(invoicePaid), deliver(completed), deliver(invoicePaid)]);
      else for (const ev of order === 'session-first' ? [completed, invoicePaid] : [invoicePaid, completed]) expect((await deliver(ev)).statusCode).toBe(200);
      expect(await planGrants(u.user.id), order).toBe(1);
      expect(await balance(u.access_token)).toBe(2 + 40);
      expect(await countRows(t, `select count(*) as n from payments where user_id = '${u.user.id}'`)).toBe(1);
      const item = subscription.items.data[0];
      expect(await subscriptionOf(u.access_token)).toMatchObject({
        status: 'active',
        cancel_at_period_end: false,
        current_period_start: iso(item.current_period_start),
        current_period_end: iso(item.current_period_end),
      });
      const [row] = await sqlRows<{ provider: string; provider_subscription_id: string; last_payment_id: string }>(
        t,
        `select provider, provider_subscription_id, last_payment_id from subscriptions where user_id = '${u.user.id}'`,
      );
      expect(row).toEqual({ provider: 'stripe', provider_subscription_id: subscription.id, last_payment_id: paymentId });
      const [lot] = await sqlRows<{ expires_at: Date }>(t, `select expires_at from credit_lots where user_id = '${u.user.id}' and source = 'subscription_grant'`);
      expect(new Date(lot!.expires_at).toISOString()).toBe(iso(item.current_period_end));
    }
  });

  it('a renewal invoice creates one completed payment, grants the next period once and extends the period', async () => {
    const { u, subscription, invoice: firstInvoice } = await activeSubscription();
    // Stripe moves the subscription to its next period, then the renewal invoice is paid.
    const renewal = stripe.renew(subscription.id);
    const updated = stripe.event('customer.subscription.updated', subscription);
    const paid = stripe.event('invoice.paid', renewal);
    const results = await Promise.all([deliver(updated), ...Array.from({ length: 5 }, () => deliver(paid)), deliver(stripe.event('invoice.paid', renewal))]);
    expect(results.map((r) => r.statusCode)).toEqual(Array(7).fill(200));
    expect(await planGrants(u.user.id)).toBe(2);
    expect(await balance(u.access_token)).toBe(2 + 40 + 40);
    const payments = await sqlRows<{ status: string; provider_payment_id: string; amount_minor: number; currency: string; credits: number }>(
      t,
      `select status, provider_payment_id, amount_minor, currency, credits from payments where user_id = '${u.user.id}' order by created_at`,
    );
    expect(payments).toHaveLength(2);
    // Both rows carry the same (hand-moved) clock time: pick the renewal by its invoice id.
    expect(payments.find((p) => p.provider_payment_id === renewal.id)).toEqual({ status: 'completed', provider_payment_id: renewal.id, amount_minor: 1500, currency: 'USD', credits: 40 });
    const line = renewal.lines.data[0];
    expect(await subscriptionOf(u.access_token)).toMatchObject({ status: 'active', current_period_start: iso(line.period.start), current_period_end: iso(line.period.end) });
    const history = await sqlRows<{ event: string }>(t, `select event from subscription_history where user_id = '${u.user.id}' order by created_at, event`);
    expect(history.map((h) => h.event)).toContain('renewed');
    // A late delivery of the first invoice changes nothing and does not move the period back.
    expect((await deliver(stripe.event('invoice.paid', firstInvoice))).statusCode).toBe(200);
    expect(await planGrants(u.user.id)).toBe(2);
    expect((await subscriptionOf(u.access_token)).current_period_end).toBe(iso(line.period.end));
  });

  it('cancel at period end is told to Stripe first; the local row changes only when Stripe accepted', async () => {
    const { u, subscription } = await activeSubscription();
    stripe.failNext(new RegExp(`^POST /v1/subscriptions/${subscription.id}$`), { status: 500, type: 'api_error', message: 'down' });
    const refused = await call(t.app, 'POST', '/api/v1/billing/subscription/cancel', { token: u.access_token });
    expect(refused.statusCode).toBe(502);
    expect(refused.data.code).toBe('payment_provider_error');
    expect((await subscriptionOf(u.access_token)).cancel_at_period_end).toBe(false);
    expect(subscription.cancel_at_period_end).toBe(false);

    const ok = await call(t.app, 'POST', '/api/v1/billing/subscription/cancel', { token: u.access_token });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.data.subscription).toMatchObject({ status: 'active', cancel_at_period_end: true });
    const sent = stripe.received.filter((r) => r.method === 'POST' && r.path === `/v1/subscriptions/${subscription.id}`).at(-1)!;
    expect(sent.form).toEqual({ cancel_at_period_end: 'true' });
    expect(subscription.cancel_at_period_end).toBe(true);
    // Stripe's own update event afterwards adds nothing.
    await deliver(stripe.event('customer.subscription.updated', subscription));
    expect(await countRows(t, `select count(*) as n from subscription_history where user_id = '${u.user.id}' and event = 'cancel_requested'`)).toBe(1);
  });

  it('customer.subscription.updated follows Stripe: a cancellation withdrawn at Stripe resumes it here', async () => {
    const { u, subscription } = await activeSubscription();
    expect((await call(t.app, 'POST', '/api/v1/billing/subscription/cancel', { token: u.access_token })).statusCode).toBe(200);
    subscription.cancel_at_period_end = false;
    // The event body says nothing useful; the re-read subscription does.
    expect((await deliver(stripe.event('customer.subscription.updated', { id: subscription.id, object: 'subscription' }))).data.outcome).toBe('processed');
    expect(await subscriptionOf(u.access_token)).toMatchObject({ status: 'active', cancel_at_period_end: false });
    expect(await countRows(t, `select count(*) as n from subscription_history where user_id = '${u.user.id}' and event = 'resumed'`)).toBe(1);
  });

  it('customer.subscription.deleted ends it: cancelled when asked for, expired when payment failed', async () => {
    const asked = await activeSubscription();
    Object.assign(asked.subscription, { status: 'canceled', canceled_at: 1, ended_at: 1, cancellation_details: { reason: 'cancellation_requested', comment: null, feedback: null } });
    const ev = stripe.event('customer.subscription.deleted', asked.subscription);
    expect((await deliver(ev)).data.outcome).toBe('processed');
    expect((await subscriptionOf(asked.u.access_token)).status).toBe('cancelled');
    expect((await deliver(ev)).data.outcome).toBe('duplicate');

    const unpaid = await activeSubscription();
    Object.assign(unpaid.subscription, { status: 'canceled', cancellation_details: { reason: 'payment_failed', comment: null, feedback: null } });
    await deliver(stripe.event('customer.subscription.deleted', unpaid.subscription));
    expect((await subscriptionOf(unpaid.u.access_token)).status).toBe('expired');
    const history = await sqlRows<{ event: string }>(t, `select event from subscription_history where user_id in ('${asked.u.user.id}', '${unpaid.u.user.id}') and event in ('cancelled', 'expired') order by event`);
    expect(history.map((h) => h.event)).toEqual(['cancelled', 'expired']);
    // Credits already granted stay.
    expect(await balance(unpaid.u.access_token)).toBe(42);
  });

  it('an update for a subscription not yet fulfilled here is ignored; the checkout then takes Stripe’s state', async () => {
    const { u, session, subscription } = await paidSubscription();
    const early = stripe.event('customer.subscription.updated', subscription);
    expect((await deliver(early)).data.outcome).toBe('ignored');
    expect((await deliver(stripe.event('checkout.session.completed', session))).data.outcome).toBe('processed');
    expect((await subscriptionOf(u.access_token)).current_period_end).toBe(iso(subscription.items.data[0].current_period_end));
  });
});
