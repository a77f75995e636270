/**
 * Refunds (decisions 057–058): POST /admin/payments/{id}/refund for manual, ZarinPal and Stripe
 * payments, in full and in part; the credits of the payment's own lot taken back (never other lots,
 * never held credits, never below zero) and the rest recorded as unrecovered; a fully refunded plan
 * ends its subscription; two refunds of one payment at once → one 200, one 409; above what is left →
 * 400; Stripe's `charge.refunded`, `charge.dispute.created` and `charge.dispute.closed` (lost)
 * handled once however often delivered; the refund notice logged; the audit row.
 * Real: app, database (PGlite or PostgreSQL via TEST_DATABASE_URL), ledger, the `stripe` SDK
 * (requests and webhook signatures), parallel requests through the app, the mail path and email log.
 * Stand-ins: Stripe's API is a local node:http server (test/helpers/stripe-stand-in.ts) that can
 * hold a request to show no transaction waits on it; a manual clock; the ZarinPal payment is
 * inserted by SQL as completed (its refund is recorded, no ZarinPal call is made); credits are
 * spent and held through the ledger's own functions.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkCreditInvariants, createLedger } from '../../src/modules/billing/index.ts';
import { signUp, signUpAdmin } from '../helpers/accounts.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { buyPlan } from '../helpers/billing.ts';
import { deliverStripeEvent, startStripeStandIn, stripeEnv, type StripeStandIn } from '../helpers/stripe-stand-in.ts';

type Account = Awaited<ReturnType<typeof signUp>>;
let stripe: StripeStandIn;
let t: TestApp;
let admin: Account;
let pro: { id: string; credits: number; amount_minor: number };
beforeAll(async () => {
  stripe = await startStripeStandIn();
  t = await createTestApp({ env: { ...stripeEnv(stripe), ATELIER_PAYMENTS_MANUAL: 'on', ATELIER_SIGNUP_CREDITS: '0' } });
  admin = await signUpAdmin(t);
  pro = (await call(t.app, 'GET', '/api/v1/billing/packages')).data.data.find((p: { name: string }) => p.name === 'Pro');
});
afterEach(async () => {
  expect(await checkCreditInvariants(t.database.db)).toEqual([]);
});
afterAll(async () => {
  await t?.close();
  await stripe?.close();
});

const ledger = () => createLedger({ clock: t.clock });
const refund = (id: string, body: Record<string, unknown> = {}, token = admin.access_token) => call(t.app, 'POST', `/api/v1/admin/payments/${id}/refund`, { token, body });
const credits = async (token: string) => (await call(t.app, 'GET', '/api/v1/credits', { token })).data as { available: number; held: number };
const paymentRow = async (id: string) =>
  (await sqlRows<{ status: string; refunded_minor: number }>(t, `select status, refunded_minor from payments where id = '${id}'`)).map((r) => ({ status: r.status, refunded_minor: Number(r.refunded_minor) }))[0]!;
const refundRows = async (paymentId: string) =>
  (await sqlRows<Record<string, unknown>>(t, `select kind, status, provider, provider_refund_id, amount_minor, credits_recovered, credits_unrecovered from refunds where payment_id = '${paymentId}' order by created_at, id`)).map((r) => ({
    ...r,
    amount_minor: Number(r.amount_minor),
    credits_recovered: Number(r.credits_recovered),
    credits_unrecovered: Number(r.credits_unrecovered),
  }));
const lotRemaining = async (paymentId: string) =>
  Number(
    (await sqlRows<{ remaining: number }>(t, `select l.remaining from credit_lots l join credit_transactions x on x.id = l.transaction_id where x.idempotency_key = 'payment:${paymentId}'`))[0]!.remaining,
  );

/** A buyer of the Pro package through the manual provider, completed. */
async function manualPurchase() {
  const u = await signUp(t.app);
  const res = await call(t.app, 'POST', '/api/v1/billing/checkout', { token: u.access_token, body: { package_id: pro.id, provider: 'manual' } });
  expect(res.statusCode, res.body).toBe(201);
  const done = await call(t.app, 'POST', `/api/v1/billing/manual/${res.data.payment.id}/complete`, { token: u.access_token });
  expect(done.statusCode, done.body).toBe(200);
  return { u, paymentId: res.data.payment.id as string };
}

/** A buyer of the Pro package through Stripe Checkout, paid and fulfilled by the webhook. */
async function stripePurchase() {
  const u = await signUp(t.app);
  const res = await call(t.app, 'POST', '/api/v1/billing/checkout', { token: u.access_token, body: { package_id: pro.id, provider: 'stripe' } });
  expect(res.statusCode, res.body).toBe(201);
  const paymentId = res.data.payment.id as string;
  const session = [...stripe.sessions.values()].find((s) => s.client_reference_id === paymentId)!;
  const paid = stripe.pay(session.id).session;
  expect((await deliverStripeEvent(t.app, stripe.event('checkout.session.completed', paid))).statusCode).toBe(200);
  return { u, paymentId, intent: paid.payment_intent as string };
}

describe('POST /admin/payments/{id}/refund (manual)', () => {
  it('a full refund takes back the unspent credits of that lot only, never held ones, and records the rest', async () => {
    const { u, paymentId } = await manualPurchase();
    // Another lot beside the purchase: an admin's grant, which the refund must not touch.
    expect((await call(t.app, 'POST', `/api/v1/admin/users/${u.user.id}/credits`, { token: admin.access_token, body: { amount: 5, reason: 'goodwill' } })).statusCode).toBe(200);
    await ledger().spend(t.database.db, { userId: u.user.id, amount: 12, idempotencyKey: `test-spend:${paymentId}` });
    await t.database.db.transaction((tx) => ledger().hold(tx, { userId: u.user.id, amount: 8, idempotencyKey: `test-hold:${paymentId}` }));
    const before = await credits(u.access_token);
    const lot = await lotRemaining(paymentId);
    expect(before).toMatchObject({ available: 50 + 5 - 12 - 8, held: 8 });

    const res = await refund(paymentId, { reason: 'customer asked' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({
      payment_id: paymentId,
      kind: 'refund',
      provider: 'manual',
      amount_minor: pro.amount_minor,
      reason: 'customer asked',
      credits_recovered: lot,
      credits_unrecovered: pro.credits - lot,
      payment: { status: 'refunded', amount_minor: pro.amount_minor, refunded_minor: pro.amount_minor },
    });
    // Taken from the purchase's lot only: the grant's 5 and the held 8 stay.
    expect(await lotRemaining(paymentId)).toBe(0);
    expect(await credits(u.access_token)).toMatchObject({ available: before.available - lot, held: 8 });
    const [entry] = await sqlRows<{ type: string; amount: number }>(t, `select type, amount from credit_transactions where idempotency_key = 'refund:${res.data.id}'`);
    expect({ type: entry!.type, amount: Number(entry!.amount) }).toEqual({ type: 'refund', amount: -lot });
    // Audited, and the buyer told.
    const [audit] = await sqlRows<{ actor_id: string; details: { before: { status: string }; after: { status: string } } }>(
      t,
      `select actor_id, details from audit_logs where action = 'billing.payment.refund' and target_id = '${paymentId}'`,
    );
    expect(audit).toMatchObject({ actor_id: admin.user.id, details: { before: { status: 'completed' }, after: { status: 'refunded' } } });
    const mails = await sqlRows<{ template_key: string }>(t, `select template_key from email_logs where "to" = '${u.user.email}' and template_key = 'refund_notice'`);
    expect(mails).toHaveLength(1);

    // Nothing is left to refund: 409, and nothing changes.
    const again = await refund(paymentId);
    expect(again.statusCode, again.body).toBe(409);
    expect(await refundRows(paymentId)).toHaveLength(1);
  });

  it('partial refunds add up; above what is left is 400 and changes nothing', async () => {
    const { u, paymentId } = await manualPurchase();
    const first = await refund(paymentId, { amount_minor: 500 });
    expect(first.statusCode, first.body).toBe(200);
    // Its share of the credits: floor(50 × 500 / 1999) = 12.
    const share = Math.floor((pro.credits * 500) / pro.amount_minor);
    expect(first.data).toMatchObject({ amount_minor: 500, credits_recovered: share, credits_unrecovered: 0, payment: { status: 'completed', refunded_minor: 500 } });
    expect((await credits(u.access_token)).available).toBe(pro.credits - share);

    const tooMuch = await refund(paymentId, { amount_minor: pro.amount_minor - 500 + 1 });
    expect(tooMuch.statusCode, tooMuch.body).toBe(400);
    expect(tooMuch.data.code).toBe('validation_failed');
    expect(await paymentRow(paymentId)).toEqual({ status: 'completed', refunded_minor: 500 });
    expect(await refundRows(paymentId)).toHaveLength(1);
    // The admin's list and the buyer's own receipts both say how much came back.
    const listed = await call(t.app, 'GET', `/api/v1/admin/payments?user_id=${u.user.id}`, { token: admin.access_token });
    expect(listed.data.data).toMatchObject([{ id: paymentId, status: 'completed', refunded_minor: 500 }]);
    const own = await call(t.app, 'GET', '/api/v1/billing/payments', { token: u.access_token });
    expect(own.data.data).toMatchObject([{ id: paymentId, refunded_minor: 500 }]);

    // The rest: all credits of the purchase are back, none counted twice.
    const rest = await refund(paymentId);
    expect(rest.statusCode, rest.body).toBe(200);
    expect(rest.data).toMatchObject({ amount_minor: pro.amount_minor - 500, credits_recovered: pro.credits - share, payment: { status: 'refunded', refunded_minor: pro.amount_minor } });
    expect((await credits(u.access_token)).available).toBe(0);
  });

  it('two refunds of one payment at once: one succeeds, the other is 409', async () => {
    const { u, paymentId } = await manualPurchase();
    const results = await Promise.all([refund(paymentId), refund(paymentId)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(await refundRows(paymentId)).toHaveLength(1);
    expect(await paymentRow(paymentId)).toEqual({ status: 'refunded', refunded_minor: pro.amount_minor });
    expect((await credits(u.access_token)).available).toBe(0);
  });

  it('a plan refunded in full ends its subscription', async () => {
    const u = await signUp(t.app);
    const plans = (await call(t.app, 'GET', '/api/v1/billing/plans')).data.data as { id: string; amount_minor: number; credits_per_period: number }[];
    const plan = plans.find((p) => p.amount_minor > 0)!;
    const paid = await buyPlan(t.app, u.access_token, plan.id);
    expect((await call(t.app, 'GET', '/api/v1/billing/subscription', { token: u.access_token })).data.subscription).toMatchObject({ status: 'active' });
    const res = await refund(paid.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.payment.status).toBe('refunded');
    const sub = (await call(t.app, 'GET', '/api/v1/billing/subscription', { token: u.access_token })).data.subscription;
    expect(sub).toMatchObject({ status: 'cancelled' });
    const history = await sqlRows<{ event: string }>(t, `select event from subscription_history where payment_id = '${paid.id}' order by event`);
    expect(history.map((h) => h.event)).toEqual(['cancelled', 'started']);
  });

  it('a ZarinPal payment is recorded as refunded (no call to ZarinPal)', async () => {
    const u = await signUp(t.app);
    const [p] = await sqlRows<{ id: string }>(
      t,
      `insert into payments (user_id, purpose, provider, amount_minor, currency, credits, status, provider_reference, completed_at)
       values ('${u.user.id}', 'package', 'zarinpal', 5000000, 'IRR', 0, 'completed', 'zp-ref-${u.user.id}', now()) returning id`,
    );
    const res = await refund(p!.id, { amount_minor: 1000000 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ provider: 'zarinpal', provider_refund_id: null, amount_minor: 1000000, payment: { status: 'completed', refunded_minor: 1000000 } });
  });

  it('refuses bad input, unknown and unfinished payments, users and their API keys', async () => {
    const { u, paymentId } = await manualPurchase();
    const key = (await call(t.app, 'POST', '/api/v1/me/api-keys', { token: u.access_token, body: { name: 'k' } })).data.key as string;
    expect((await refund(paymentId, {}, u.access_token)).statusCode).toBe(403);
    expect((await call(t.app, 'POST', `/api/v1/admin/payments/${paymentId}/refund`, { headers: { authorization: `Bearer ${key}` }, body: {} })).statusCode).toBe(403);
    for (const body of [{ amount_minor: 0 }, { amount_minor: -5 }, { amount_minor: 1.5 }, { reason: '' }, { other: 1 }]) {
      const res = await refund(paymentId, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await refund('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await refund('not-a-uuid')).statusCode).toBe(400);
    const pending = await call(t.app, 'POST', '/api/v1/billing/checkout', { token: u.access_token, body: { package_id: pro.id, provider: 'manual' } });
    expect((await refund(pending.data.payment.id)).statusCode).toBe(409);
    expect(await paymentRow(paymentId)).toEqual({ status: 'completed', refunded_minor: 0 });
  });
});

describe('Stripe refunds', () => {
  it('refunds at Stripe through the SDK, in part, and the charge.refunded webhook changes nothing more', async () => {
    const { u, paymentId, intent } = await stripePurchase();
    const res = await refund(paymentId, { amount_minor: 999 });
    expect(res.statusCode, res.body).toBe(200);
    const sent = stripe.received.filter((r) => r.path === '/v1/refunds' && r.form.payment_intent === intent);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.form).toMatchObject({ amount: '999', 'metadata[refund_id]': res.data.id, 'metadata[payment_id]': paymentId });
    expect(sent[0]!.idempotencyKey).toBe(`atelier-refund-${res.data.id}`);
    expect(res.data).toMatchObject({ provider: 'stripe', provider_refund_id: expect.stringMatching(/^re_/), amount_minor: 999, payment: { status: 'completed', refunded_minor: 999 } });
    const available = (await credits(u.access_token)).available;

    const ev = stripe.event('charge.refunded', stripe.charge(intent));
    for (let i = 0; i < 2; i++) expect((await deliverStripeEvent(t.app, ev)).statusCode).toBe(200);
    expect(await refundRows(paymentId)).toHaveLength(1);
    expect((await credits(u.access_token)).available).toBe(available);
  });

  it('no transaction waits on Stripe; a second refund meanwhile is 409', async () => {
    const { paymentId } = await stripePurchase();
    const held = stripe.holdNext(/POST \/v1\/refunds/);
    const first = refund(paymentId);
    await held.arrived;
    // The database is free while Stripe thinks (PGlite has one connection: an open transaction would block this).
    expect((await call(t.app, 'GET', '/api/v1/admin/payments?limit=1', { token: admin.access_token })).statusCode).toBe(200);
    const second = await refund(paymentId);
    expect(second.statusCode, second.body).toBe(409);
    held.release();
    const done = await first;
    expect(done.statusCode, done.body).toBe(200);
    expect(await refundRows(paymentId)).toMatchObject([{ status: 'succeeded', amount_minor: pro.amount_minor }]);
  });

  it('Stripe failing leaves nothing behind (502), and the payment can be refunded afterwards', async () => {
    const { paymentId } = await stripePurchase();
    stripe.failNext(/POST \/v1\/refunds/, { status: 400, type: 'invalid_request_error', message: 'nope' });
    const res = await refund(paymentId);
    expect(res.statusCode, res.body).toBe(502);
    expect(await refundRows(paymentId)).toEqual([]);
    expect(await paymentRow(paymentId)).toEqual({ status: 'completed', refunded_minor: 0 });
    expect((await refund(paymentId)).statusCode).toBe(200);
  });

  it('a refund made in the dashboard is recorded from charge.refunded once, credits taken back', async () => {
    const { u, paymentId, intent } = await stripePurchase();
    stripe.refundInDashboard(intent, 1000);
    const ev = stripe.event('charge.refunded', stripe.charge(intent));
    const results = await Promise.all([deliverStripeEvent(t.app, ev), deliverStripeEvent(t.app, ev)]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(results.map((r) => r.data.outcome).sort()).toEqual(['duplicate', 'processed']);
    const share = Math.floor((pro.credits * 1000) / pro.amount_minor);
    expect(await refundRows(paymentId)).toMatchObject([{ kind: 'refund', provider: 'stripe', amount_minor: 1000, credits_recovered: share }]);
    expect((await credits(u.access_token)).available).toBe(pro.credits - share);
    expect(await paymentRow(paymentId)).toEqual({ status: 'completed', refunded_minor: 1000 });
  });

  it('a dispute: opened is noted; lost takes back the rest once; won changes nothing', async () => {
    const { u, paymentId, intent } = await stripePurchase();
    const opened = stripe.dispute(intent, 'needs_response');
    expect((await deliverStripeEvent(t.app, stripe.event('charge.dispute.created', opened))).data.outcome).toBe('processed');
    expect(await refundRows(paymentId)).toEqual([]);
    const [meta] = await sqlRows<{ metadata: { dispute?: { id: string } } }>(t, `select metadata from payments where id = '${paymentId}'`);
    expect(meta!.metadata.dispute?.id).toBe(opened.id);

    const lost = stripe.dispute(intent, 'lost', opened.id);
    const ev = stripe.event('charge.dispute.closed', lost);
    expect((await deliverStripeEvent(t.app, ev)).data.outcome).toBe('processed');
    expect((await deliverStripeEvent(t.app, ev)).data.outcome).toBe('duplicate');
    // Another event about the same dispute does not record it twice either.
    expect((await deliverStripeEvent(t.app, stripe.event('charge.dispute.closed', lost))).statusCode).toBe(200);
    expect(await refundRows(paymentId)).toMatchObject([{ kind: 'dispute', provider_refund_id: opened.id, amount_minor: pro.amount_minor, credits_recovered: pro.credits }]);
    expect(await paymentRow(paymentId)).toEqual({ status: 'refunded', refunded_minor: pro.amount_minor });
    expect((await credits(u.access_token)).available).toBe(0);

    const other = await stripePurchase();
    const won = stripe.dispute(other.intent, 'won');
    expect((await deliverStripeEvent(t.app, stripe.event('charge.dispute.closed', won))).data.outcome).toBe('processed');
    expect(await refundRows(other.paymentId)).toEqual([]);
  });
});
