/**
 * No charge for nothing: an erased account's Stripe subscription is cancelled before its data goes
 * (and a renewal paid anyway is cancelled and refunded); one renewing Stripe subscription per user
 * (a second plan checkout is 409, a renewal of a subscription that is not the current one is
 * cancelled and refunded, never applied).
 * Real: app, database (PGlite, and PostgreSQL with TEST_DATABASE_URL), erasure, the ledger, the
 * `stripe` SDK and its HTTP requests. Stand-in: Stripe's API (test/helpers/stripe-stand-in.ts),
 * whose subscriptions and invoices the tests move along; events signed with the SDK's test helper.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkCreditInvariants } from '../../src/modules/billing/index.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { countRows, signUp } from '../helpers/accounts.ts';
import { deliverStripeEvent, planGrantCount, startStripeStandIn, stripeEnv, type StripeStandIn } from '../helpers/stripe-stand-in.ts';

let stripe: StripeStandIn;
let t: TestApp;
let planId: string;
let otherPlanId: string;
beforeAll(async () => {
  stripe = await startStripeStandIn();
  t = await createTestApp({ env: stripeEnv(stripe) });
  const plans = await sqlRows<{ id: string }>(
    t,
    `insert into plans (name, display_name, audience, amount_minor, currency, billing_period, credits_per_period)
     values ('unwanted_studio', 'Studio', 'user', 1500, 'USD', 'month', 40), ('unwanted_agency', 'Agency', 'user', 4500, 'USD', 'month', 150) returning id`,
  );
  planId = plans[0]!.id;
  otherPlanId = plans[1]!.id;
});
// Every refusal and refund must leave the ledger consistent.
afterEach(async () => expect(await checkCreditInvariants(t.database.db)).toEqual([]));
afterAll(() => Promise.all([t?.close(), stripe?.close()]));

const deliver = (d: { payload: string; signature: string }) => deliverStripeEvent(t.app, d);
const checkout = (token: string, plan: string) => call(t.app, 'POST', '/api/v1/billing/checkout', { token, body: { plan_id: plan, provider: 'stripe' } });
const planGrants = (userId: string) => planGrantCount(t, userId);
const requests = (method: string, path: string) => stripe.received.filter((r) => r.method === method && r.path === path);
const refundsOf = (invoice: Record<string, unknown>) => [...stripe.refunds.values()].filter((r) => r.payment_intent === invoice._payment_intent);

/** A user whose Studio subscription is paid at the stand-in and granted here. */
async function subscribed(plan = planId, u?: Awaited<ReturnType<typeof signUp>>) {
  const user = u ?? (await signUp(t.app));
  const res = await checkout(user.access_token, plan);
  expect(res.statusCode, res.body).toBe(201);
  const session = [...stripe.sessions.values()].find((s) => s.client_reference_id === res.data.payment.id)!;
  const paid = stripe.pay(session.id);
  expect((await deliver(stripe.event('checkout.session.completed', paid.session))).data.outcome).toBe('processed');
  return { u: user, paymentId: res.data.payment.id as string, subscription: paid.subscription!, invoice: paid.invoice! };
}

describe('erasing an account with a Stripe subscription', () => {
  it('cancels the subscription at Stripe at once, before the data goes', async () => {
    const { u, subscription } = await subscribed();
    const erased = await call(t.app, 'DELETE', '/api/v1/me', { token: u.access_token, body: { password: u.password } });
    expect(erased.statusCode, erased.body).toBe(202);
    expect(requests('DELETE', `/v1/subscriptions/${subscription.id}`)).toHaveLength(1);
    expect(stripe.subscriptions.get(subscription.id)!.status).toBe('canceled');
    expect(await countRows(t, `select count(*) as n from users where id = '${u.user.id}'`)).toBe(0);
  });

  it('when Stripe cannot cancel it: 502 payment_provider_error, nothing is erased, and a retry works', async () => {
    const { u, subscription } = await subscribed();
    stripe.failNext(new RegExp(`^DELETE /v1/subscriptions/${subscription.id}$`), { status: 500, type: 'api_error', message: 'down' });
    const refused = await call(t.app, 'DELETE', '/api/v1/me', { token: u.access_token, body: { password: u.password } });
    expect(refused.statusCode, refused.body).toBe(502);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.data.code).toBe('payment_provider_error');
    expect(await countRows(t, `select count(*) as n from users where id = '${u.user.id}'`)).toBe(1);
    expect(await countRows(t, `select count(*) as n from subscriptions where user_id = '${u.user.id}' and provider_subscription_id = '${subscription.id}'`)).toBe(1);
    expect(stripe.subscriptions.get(subscription.id)!.status).toBe('active');
    const again = await call(t.app, 'DELETE', '/api/v1/me', { token: u.access_token, body: { password: u.password } });
    expect(again.statusCode, again.body).toBe(202);
    expect(stripe.subscriptions.get(subscription.id)!.status).toBe('canceled');
  });

  it('a renewal paid for an erased account is cancelled and refunded once, and grants nothing', async () => {
    const { u, paymentId, subscription } = await subscribed();
    // Erased while the subscription was left running (e.g. before this fix): Stripe renews it anyway.
    await sqlRows(t, `delete from users where id = '${u.user.id}'`);
    const renewal = stripe.renew(subscription.id);
    const paid = stripe.event('invoice.paid', renewal);
    const results = await Promise.all([deliver(paid), deliver(paid), deliver(stripe.event('invoice.paid', renewal))]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(stripe.subscriptions.get(subscription.id)!.status).toBe('canceled');
    expect(refundsOf(renewal)).toHaveLength(1);
    expect(refundsOf(renewal)[0]).toMatchObject({ amount: 1500, reason: 'requested_by_customer', metadata: { invoice_id: renewal.id } });
    const [row] = await sqlRows<{ status: string; user_id: string | null }>(t, `select status, user_id from payments where provider_payment_id = '${renewal.id}'`);
    expect(row).toEqual({ status: 'refunded', user_id: null });
    expect(await countRows(t, `select count(*) as n from credit_transactions where reference_id = '${paymentId}' or reference_id in (select id::text from payments where provider_payment_id = '${renewal.id}')`)).toBe(1);
  });
});

describe('one renewing Stripe subscription per user', () => {
  it('a second plan checkout while one renews is 409 conflict and opens nothing at Stripe; after cancelling, it is allowed', async () => {
    const { u } = await subscribed();
    const sessions = requests('POST', '/v1/checkout/sessions').length;
    const refused = await checkout(u.access_token, otherPlanId);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.data.code).toBe('conflict');
    expect(requests('POST', '/v1/checkout/sessions').length).toBe(sessions);
    expect(await countRows(t, `select count(*) as n from payments where user_id = '${u.user.id}'`)).toBe(1);
    const cancelled = await call(t.app, 'POST', '/api/v1/billing/subscription/cancel', { token: u.access_token });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const allowed = await checkout(u.access_token, otherPlanId);
    expect(allowed.statusCode, allowed.body).toBe(201);
  });

  it('a renewal of a subscription that is not the user’s current one is cancelled at Stripe and refunded, not applied', async () => {
    const first = await subscribed();
    // A plan change: the first ends at its period's end, the second becomes current.
    expect((await call(t.app, 'POST', '/api/v1/billing/subscription/cancel', { token: first.u.access_token })).statusCode).toBe(200);
    const second = await subscribed(otherPlanId, first.u);
    expect(second.subscription.id).not.toBe(first.subscription.id);
    // The first is resumed at Stripe (e.g. in its customer portal) and renews beside the second.
    stripe.subscriptions.get(first.subscription.id)!.cancel_at_period_end = false;
    const grants = await planGrants(first.u.user.id);
    const renewal = stripe.renew(first.subscription.id);
    expect((await deliver(stripe.event('invoice.paid', renewal))).statusCode).toBe(200);
    expect(stripe.subscriptions.get(first.subscription.id)!.status).toBe('canceled');
    expect(refundsOf(renewal)).toHaveLength(1);
    expect(refundsOf(renewal)[0]).toMatchObject({ amount: 1500, reason: 'duplicate' });
    expect(await planGrants(first.u.user.id)).toBe(grants);
    const sub = (await call(t.app, 'GET', '/api/v1/billing/subscription', { token: first.u.access_token })).data.subscription;
    expect(sub).toMatchObject({ status: 'active', plan: { id: otherPlanId } });
    const [row] = await sqlRows<{ status: string }>(t, `select status from payments where provider_payment_id = '${renewal.id}'`);
    expect(row).toEqual({ status: 'refunded' });
    // The current one still renews and is applied.
    const current = stripe.renew(second.subscription.id);
    expect((await deliver(stripe.event('invoice.paid', current))).data.outcome).toBe('processed');
    expect(await planGrants(first.u.user.id)).toBe(grants + 1);
    expect(refundsOf(current)).toHaveLength(0);
  });

  it('when Stripe cannot cancel or refund, the event fails (Stripe delivers it again) and is then done once', async () => {
    const first = await subscribed();
    expect((await call(t.app, 'POST', '/api/v1/billing/subscription/cancel', { token: first.u.access_token })).statusCode).toBe(200);
    await subscribed(otherPlanId, first.u);
    stripe.subscriptions.get(first.subscription.id)!.cancel_at_period_end = false;
    const renewal = stripe.renew(first.subscription.id);
    const event = stripe.event('invoice.paid', renewal);
    stripe.failNext(/^POST \/v1\/refunds$/, { status: 500, type: 'api_error', message: 'down' });
    expect((await deliver(event)).statusCode).toBe(502);
    expect(refundsOf(renewal)).toHaveLength(0);
    expect((await deliver(event)).statusCode).toBe(200);
    expect((await deliver(event)).data.outcome).toBe('duplicate');
    expect(refundsOf(renewal)).toHaveLength(1);
    expect(stripe.subscriptions.get(first.subscription.id)!.status).toBe('canceled');
  });
});
