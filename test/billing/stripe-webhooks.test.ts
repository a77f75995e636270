/**
 * Stripe webhooks for one-off payments: verification, exactly-once processing, re-reading.
 * Real: app, database, the ledger, the `stripe` SDK (signature verification, API requests),
 * parallel deliveries. Stand-in: Stripe's API is a local node:http server (test/helpers/
 * stripe-stand-in.ts); events are signed with the SDK's generateTestHeaderString; mail goes to the
 * dev outbox.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkCreditInvariants } from '../../src/modules/billing/index.ts';
import { call, codesSent, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { countRows, signUp, uniqueEmail } from '../helpers/accounts.ts';
import { startStripeStandIn, stripeEnv, type StripeStandIn } from '../helpers/stripe-stand-in.ts';

let stripe: StripeStandIn;
let t: TestApp;
let packages: Record<string, { id: string; credits: number }>;
beforeAll(async () => {
  stripe = await startStripeStandIn();
  t = await createTestApp({ env: stripeEnv(stripe) });
  packages = Object.fromEntries((await call(t.app, 'GET', '/api/v1/billing/packages')).data.data.map((p: { name: string }) => [p.name, p]));
});
afterEach(async () => {
  expect(await checkCreditInvariants(t.database.db)).toEqual([]);
});
afterAll(async () => {
  await t?.close();
  await stripe?.close();
});

function deliver(d: { payload: string; signature?: string }) {
  return call(t.app, 'POST', '/api/v1/billing/webhooks/stripe', {
    body: d.payload,
    headers: { 'content-type': 'application/json; charset=utf-8', ...(d.signature ? { 'stripe-signature': d.signature } : {}) },
  });
}

/** A signed-up buyer with a pending Stripe checkout of `pkg`; the stand-in's session. */
async function pendingCheckout(pkg = 'Pro', extra: Record<string, unknown> = {}) {
  const u = await signUp(t.app);
  const res = await call(t.app, 'POST', '/api/v1/billing/checkout', { token: u.access_token, body: { package_id: packages[pkg]!.id, provider: 'stripe', ...extra } });
  expect(res.statusCode, res.body).toBe(201);
  const session = [...stripe.sessions.values()].find((s) => s.client_reference_id === res.data.payment.id)!;
  return { u, paymentId: res.data.payment.id as string, session };
}

const grants = (paymentId: string) => countRows(t, `select count(*) as n from credit_transactions where idempotency_key = 'payment:${paymentId}'`);
const balance = async (token: string) => (await call(t.app, 'GET', '/api/v1/credits', { token })).data.available as number;
const payment = async (token: string, id: string) => (await call(t.app, 'GET', `/api/v1/billing/payments/${id}`, { token })).data;
const eventRow = async (eventId: string) => (await sqlRows<{ status: string; type: string; note: string | null; summary: Record<string, unknown> }>(t, `select status, type, note, summary from webhook_events where event_id = '${eventId}'`))[0];

describe('POST /billing/webhooks/stripe', () => {
  it('checkout.session.completed for a paid session grants the package once and records the event', async () => {
    const { u, paymentId, session } = await pendingCheckout();
    const { session: paid } = stripe.pay(session.id);
    const ev = stripe.event('checkout.session.completed', paid);
    const res = await deliver(ev);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toEqual({ received: true, outcome: 'processed' });
    expect(await payment(u.access_token, paymentId)).toMatchObject({ status: 'completed' });
    expect(await balance(u.access_token)).toBe(2 + 50);
    expect(await grants(paymentId)).toBe(1);
    expect(await eventRow(ev.id)).toMatchObject({ status: 'processed', type: 'checkout.session.completed', summary: { object: 'checkout.session', object_id: session.id, livemode: false } });
    // The session was re-read from Stripe before anything was granted.
    expect(stripe.received.some((r) => r.method === 'GET' && r.path === `/v1/checkout/sessions/${session.id}`)).toBe(true);
    const [row] = await sqlRows<{ provider_reference: string }>(t, `select provider_reference from payments where id = '${paymentId}'`);
    expect(row!.provider_reference).toBe(paid.payment_intent);
  });

  it('the same event 10 times in sequence and 10 times in parallel grants once', async () => {
    const { u, paymentId, session } = await pendingCheckout();
    const ev = stripe.event('checkout.session.completed', stripe.pay(session.id).session);
    const first = await deliver(ev);
    expect(first.data.outcome).toBe('processed');
    for (let i = 0; i < 9; i++) {
      const again = await deliver(ev);
      expect(again.statusCode).toBe(200);
      expect(again.data.outcome).toBe('duplicate');
    }
    const parallel = await Promise.all(Array.from({ length: 10 }, () => deliver(ev)));
    expect(parallel.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(await grants(paymentId)).toBe(1);
    expect(await balance(u.access_token)).toBe(52);
    expect(await countRows(t, `select count(*) as n from webhook_events where event_id = '${ev.id}'`)).toBe(1);
  });

  it('the same new event delivered 10 times at once is processed by exactly one delivery', async () => {
    const { u, paymentId, session } = await pendingCheckout();
    const ev = stripe.event('checkout.session.completed', stripe.pay(session.id).session);
    const results = await Promise.all(Array.from({ length: 10 }, () => deliver(ev)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(results.filter((r) => r.data.outcome === 'processed')).toHaveLength(1);
    expect(await grants(paymentId)).toBe(1);
    expect(await balance(u.access_token)).toBe(52);
  });

  it('10 different events for the same paid session grant once', async () => {
    const { u, paymentId, session } = await pendingCheckout();
    const paid = stripe.pay(session.id).session;
    const events = Array.from({ length: 10 }, (_, i) => stripe.event(i % 2 ? 'checkout.session.async_payment_succeeded' : 'checkout.session.completed', paid));
    const results = await Promise.all(events.map(deliver));
    expect(results.map((r) => r.data.outcome)).toEqual(Array(10).fill('processed'));
    expect(await grants(paymentId)).toBe(1);
    expect(await balance(u.access_token)).toBe(52);
    expect(await countRows(t, `select count(*) as n from webhook_events where summary->>'object_id' = '${session.id}'`)).toBe(10);
  });

  it('a bad or missing signature is 400 and records nothing', async () => {
    const { u, session } = await pendingCheckout();
    const paid = stripe.pay(session.id).session;
    const ev = stripe.event('checkout.session.completed', paid);
    const tampered = ev.payload.replace('"livemode": false', '"livemode": true');
    const otherSecret = stripe.event('checkout.session.completed', paid).signature.replace(/v1=[0-9a-f]+/, `v1=${'0'.repeat(64)}`);
    for (const attempt of [{ payload: ev.payload }, { payload: tampered, signature: ev.signature }, { payload: ev.payload, signature: otherSecret }, { payload: ev.payload, signature: 'garbage' }]) {
      const res = await deliver(attempt);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.data.code).toBe('invalid_signature');
    }
    expect(await countRows(t, `select count(*) as n from webhook_events where event_id = '${ev.id}'`)).toBe(0);
    expect(await balance(u.access_token)).toBe(2);
  });

  it('an event type it does not handle is answered 200 and recorded as ignored', async () => {
    const ev = stripe.event('customer.created', { id: 'cus_test_someone', object: 'customer', email: 'x@example.com' });
    const res = await deliver(ev);
    expect(res.statusCode).toBe(200);
    expect(res.data.outcome).toBe('ignored');
    expect(await eventRow(ev.id)).toMatchObject({ status: 'ignored', type: 'customer.created', summary: { object: 'customer', object_id: 'cus_test_someone' } });
    expect(JSON.stringify(await eventRow(ev.id))).not.toContain('x@example.com');
    expect((await deliver(ev)).data.outcome).toBe('duplicate');
    // An object without an id (Stripe's balance) is answered and recorded all the same.
    const balanceEvent = stripe.event('balance.available', { object: 'balance', available: [] });
    expect((await deliver(balanceEvent)).data.outcome).toBe('ignored');
    expect(await eventRow(balanceEvent.id)).toMatchObject({ status: 'ignored', summary: { object: 'balance', object_id: null } });
  });

  it('trusts Stripe, not the event body: a session Stripe says is unpaid grants nothing', async () => {
    const { u, paymentId, session } = await pendingCheckout();
    // The event claims the session was paid; the stand-in (Stripe) still says it is open and unpaid.
    const forged = stripe.event('checkout.session.completed', { ...session, status: 'complete', payment_status: 'paid' });
    const res = await deliver(forged);
    expect(res.statusCode).toBe(200);
    expect(await payment(u.access_token, paymentId)).toMatchObject({ status: 'pending' });
    expect(await grants(paymentId)).toBe(0);
    // A delayed payment method: the session completes unpaid and waits for async_payment_succeeded.
    stripe.pay(session.id, { paymentStatus: 'unpaid' });
    expect((await deliver(stripe.event('checkout.session.completed', session))).statusCode).toBe(200);
    expect(await payment(u.access_token, paymentId)).toMatchObject({ status: 'pending' });
    stripe.sessions.get(session.id)!.payment_status = 'paid';
    expect((await deliver(stripe.event('checkout.session.async_payment_succeeded', session))).data.outcome).toBe('processed');
    expect(await payment(u.access_token, paymentId)).toMatchObject({ status: 'completed' });
    expect(await balance(u.access_token)).toBe(52);
  });

  it('a failed delayed payment fails the payment; an expired session expires it; neither grants', async () => {
    const a = await pendingCheckout();
    stripe.pay(a.session.id, { paymentStatus: 'unpaid' });
    expect((await deliver(stripe.event('checkout.session.async_payment_failed', a.session))).statusCode).toBe(200);
    expect(await payment(a.u.access_token, a.paymentId)).toMatchObject({ status: 'failed' });
    const b = await pendingCheckout();
    // The event says expired; Stripe says still open: nothing changes.
    await deliver(stripe.event('checkout.session.expired', { ...b.session, status: 'expired' }));
    expect(await payment(b.u.access_token, b.paymentId)).toMatchObject({ status: 'pending' });
    stripe.sessions.get(b.session.id)!.status = 'expired';
    expect((await deliver(stripe.event('checkout.session.expired', b.session))).data.outcome).toBe('processed');
    expect(await payment(b.u.access_token, b.paymentId)).toMatchObject({ status: 'expired' });
    // A completion arriving after the expiry changes nothing.
    stripe.pay(b.session.id);
    await deliver(stripe.event('checkout.session.completed', b.session));
    expect(await payment(b.u.access_token, b.paymentId)).toMatchObject({ status: 'expired' });
    expect(await grants(a.paymentId)).toBe(0);
    expect(await grants(b.paymentId)).toBe(0);
  });

  it('a session that is not one of ours is recorded as ignored', async () => {
    const { session } = await pendingCheckout();
    stripe.pay(session.id);
    const foreign = { ...stripe.sessions.get(session.id)!, id: 'cs_test_foreign', client_reference_id: null, metadata: {} };
    stripe.sessions.set(foreign.id, foreign);
    const ev = stripe.event('checkout.session.completed', foreign);
    expect((await deliver(ev)).data.outcome).toBe('ignored');
    expect((await eventRow(ev.id))!.note).toMatch(/no payment of ours/);
  });

  it('Stripe failing while re-reading → 502, a failed row, and the retry processes the event', async () => {
    const { u, paymentId, session } = await pendingCheckout();
    const ev = stripe.event('checkout.session.completed', stripe.pay(session.id).session);
    stripe.failNext(new RegExp(`^GET /v1/checkout/sessions/${session.id}$`), { status: 500, type: 'api_error', message: 'boom' });
    const res = await deliver(ev);
    expect(res.statusCode).toBe(502);
    expect(res.data.code).toBe('payment_provider_error');
    expect(await eventRow(ev.id)).toMatchObject({ status: 'failed' });
    expect(await grants(paymentId)).toBe(0);
    const retry = await deliver(ev);
    expect(retry.data.outcome).toBe('processed');
    expect(await eventRow(ev.id)).toMatchObject({ status: 'processed', note: null });
    expect(await balance(u.access_token)).toBe(52);
  });

  it('a gift card bought through Stripe is issued once and its code emailed to the recipient', async () => {
    const recipient = uniqueEmail('gift');
    const u = await signUp(t.app);
    const res = await call(t.app, 'POST', '/api/v1/billing/checkout', {
      token: u.access_token,
      body: { gift_card: { package_id: packages.Starter!.id, recipient_email: recipient }, provider: 'stripe' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const session = [...stripe.sessions.values()].find((s) => s.client_reference_id === res.data.payment.id)!;
    expect(session.mode).toBe('payment');
    const ev = stripe.event('checkout.session.completed', stripe.pay(session.id).session);
    await Promise.all([deliver(ev), deliver(ev), deliver(ev)]);
    await codesSent(t.app);
    const mail = await call(t.app, 'GET', `/api/v1/dev/outbox?to=${encodeURIComponent(recipient)}`);
    expect(mail.data.data).toHaveLength(1);
    const code = mail.data.data[0].code as string;
    expect(await countRows(t, `select count(*) as n from gift_cards where payment_id = '${res.data.payment.id}' and status = 'active'`)).toBe(1);
    const friend = await signUp(t.app);
    const redeemed = await call(t.app, 'POST', '/api/v1/billing/gift-cards/redeem', { token: friend.access_token, body: { code } });
    expect(redeemed.statusCode, redeemed.body).toBe(200);
    expect(redeemed.data.credits_awarded).toBe(10);
  });
});
