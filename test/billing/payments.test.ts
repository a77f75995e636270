/**
 * Checkout, the manual provider, payments and subscriptions.
 * Real: app, database, auth, Idempotency-Key handling, the ledger, parallel requests. Stand-in: the
 * `manual` payment provider (ATELIER_PAYMENTS_MANUAL=on) plays the gateway; a manual clock.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkCreditInvariants } from '../../src/modules/billing/index.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { countRows, signUp, signUpAdmin } from '../helpers/accounts.ts';

let t: TestApp;
let packages: Record<string, { id: string; credits: number; amount_minor: number }>;
let plans: Record<string, { id: string; credits_per_period: number }>;
beforeAll(async () => {
  t = await createTestApp({ env: { ATELIER_PAYMENTS_MANUAL: 'on', ATELIER_RETURN_URL_ORIGINS: 'https://shop.example' } });
  packages = Object.fromEntries((await call(t.app, 'GET', '/api/v1/billing/packages')).data.data.map((p: { name: string }) => [p.name, p]));
  plans = Object.fromEntries((await call(t.app, 'GET', '/api/v1/billing/plans')).data.data.map((p: { name: string }) => [p.name, p]));
});
afterEach(async () => {
  expect(await checkCreditInvariants(t.database.db)).toEqual([]);
});
afterAll(async () => t?.close());

async function checkout(token: string, body: Record<string, unknown>, key?: string) {
  return call(t.app, 'POST', '/api/v1/billing/checkout', { token, body, headers: key ? { 'idempotency-key': key } : {} });
}
const credits = async (token: string) => (await call(t.app, 'GET', '/api/v1/credits', { token })).data;

describe('POST /billing/checkout with the manual provider', () => {
  it('creates a pending payment priced from the catalogue and grants nothing yet', async () => {
    const u = await signUp(t.app);
    const res = await checkout(u.access_token, { package_id: packages.Pro!.id, provider: 'manual', return_url: 'https://shop.example/done' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({
      payment: { status: 'pending', purpose: 'package', provider: 'manual', amount_minor: 1999, discount_minor: 0, currency: 'USD', credits: 50 },
      redirect_url: 'https://shop.example/done',
    });
    expect((await credits(u.access_token)).available).toBe(2);
  });

  it('replays the first answer for a repeated Idempotency-Key and creates one payment', async () => {
    const u = await signUp(t.app);
    const body = { package_id: packages.Starter!.id, provider: 'manual' };
    const results = await Promise.all(Array.from({ length: 5 }, () => checkout(u.access_token, body, 'checkout-1')));
    expect(new Set(results.map((r) => r.data.payment.id)).size).toBe(1);
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    expect(await countRows(t, `select count(*) as n from payments where user_id = '${u.user.id}'`)).toBe(1);
    const other = await checkout(u.access_token, { package_id: packages.Pro!.id, provider: 'manual' }, 'checkout-1');
    expect(other.statusCode).toBe(409);
    expect(other.data.code).toBe('idempotency_conflict');
  });

  it('refuses bad bodies, unknown packages, providers not enabled, and writes nothing', async () => {
    const u = await signUp(t.app);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ provider: 'manual' }, 400, 'validation_failed'],
      [{ package_id: packages.Pro!.id, plan_id: plans.basic!.id, provider: 'manual' }, 400, 'validation_failed'],
      [{ package_id: packages.Pro!.id, provider: 'paypal' }, 400, 'validation_failed'],
      [{ package_id: packages.Pro!.id, provider: 'stripe' }, 400, 'validation_failed'],
      [{ package_id: packages.Pro!.id, provider: 'manual', return_url: 'javascript:alert(1)' }, 400, 'validation_failed'],
      // Only home: the installation's origin or ATELIER_RETURN_URL_ORIGINS (a look-alike is refused).
      [{ package_id: packages.Pro!.id, provider: 'manual', return_url: 'https://shop.example.evil.test/done' }, 400, 'validation_failed'],
      [{ package_id: packages.Pro!.id, provider: 'manual', return_url: 'http://shop.example/done' }, 400, 'validation_failed'],
      [{ plan_id: plans.free!.id, provider: 'manual' }, 400, 'validation_failed'],
      [{ package_id: '00000000-0000-4000-8000-000000000000', provider: 'manual' }, 404, 'not_found'],
    ];
    for (const [body, status, code] of cases) {
      const res = await checkout(u.access_token, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.data.code).toBe(code);
    }
    expect(await countRows(t, `select count(*) as n from payments where user_id = '${u.user.id}'`)).toBe(0);
    // The installation's own origin is always allowed.
    const home = await checkout(u.access_token, { package_id: packages.Pro!.id, provider: 'manual', return_url: `${t.config.publicUrl ?? `http://localhost:${t.config.port}`}/billing?from=test` });
    expect(home.statusCode, home.body).toBe(201);
    expect((await call(t.app, 'POST', '/api/v1/billing/checkout', { body: { package_id: packages.Pro!.id, provider: 'manual' } })).statusCode).toBe(401);
  });
});

describe('POST /billing/manual/{payment_id}/complete', () => {
  it('20 parallel completions of one payment grant its credits once', async () => {
    const u = await signUp(t.app);
    const { data } = await checkout(u.access_token, { package_id: packages.Pro!.id, provider: 'manual' });
    const id = data.payment.id;
    const results = await Promise.all(Array.from({ length: 20 }, () => call(t.app, 'POST', `/api/v1/billing/manual/${id}/complete`, { token: u.access_token })));
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(results.every((r) => r.data.status === 'completed')).toBe(true);
    expect(await credits(u.access_token)).toMatchObject({ available: 52, total_purchased: 50 });
    expect(await countRows(t, `select count(*) as n from credit_transactions where idempotency_key = 'payment:${id}'`)).toBe(1);
    expect(await countRows(t, `select count(*) as n from audit_logs where target_id = '${id}'`)).toBe(1);
    const got = await call(t.app, 'GET', `/api/v1/billing/payments/${id}`, { token: u.access_token });
    expect(got.data).toMatchObject({ id, status: 'completed' });
    expect(got.data.completed_at).not.toBeNull();
  });

  it('hides another user’s payment (404 to complete and to read); an admin may complete it', async () => {
    const owner = await signUp(t.app);
    const stranger = await signUp(t.app);
    const admin = await signUpAdmin(t);
    const { data } = await checkout(owner.access_token, { package_id: packages.Starter!.id, provider: 'manual' });
    const id = data.payment.id;
    expect((await call(t.app, 'POST', `/api/v1/billing/manual/${id}/complete`, { token: stranger.access_token })).statusCode).toBe(404);
    expect((await call(t.app, 'GET', `/api/v1/billing/payments/${id}`, { token: stranger.access_token })).statusCode).toBe(404);
    expect((await credits(owner.access_token)).available).toBe(2);
    const done = await call(t.app, 'POST', `/api/v1/billing/manual/${id}/complete`, { token: admin.access_token });
    expect(done.statusCode).toBe(200);
    expect((await credits(owner.access_token)).available).toBe(12);
    expect((await credits(admin.access_token)).available).toBe(2);
  });

  it('lists only the caller’s payments, newest first', async () => {
    const u = await signUp(t.app);
    const other = await signUp(t.app);
    await checkout(other.access_token, { package_id: packages.Starter!.id, provider: 'manual' });
    for (const name of ['Starter', 'Pro', 'Premium']) {
      t.clock.advance(1000);
      await checkout(u.access_token, { package_id: packages[name]!.id, provider: 'manual' });
    }
    const page = await call(t.app, 'GET', '/api/v1/billing/payments?limit=2', { token: u.access_token });
    expect(page.data.data.map((p: { credits: number }) => p.credits)).toEqual([150, 50]);
    const rest = await call(t.app, 'GET', `/api/v1/billing/payments?limit=2&cursor=${page.data.next_cursor}`, { token: u.access_token });
    expect(rest.data.data.map((p: { credits: number }) => p.credits)).toEqual([10]);
    expect(rest.data.next_cursor).toBeNull();
  });
});

describe('the manual provider switched off', () => {
  it('refuses manual checkout and completion', async () => {
    const off = await createTestApp();
    try {
      const u = await signUp(off.app);
      const pkg = (await call(off.app, 'GET', '/api/v1/billing/packages')).data.data[0];
      const res = await call(off.app, 'POST', '/api/v1/billing/checkout', { token: u.access_token, body: { package_id: pkg.id, provider: 'manual' } });
      expect(res.statusCode).toBe(400);
      const complete = await call(off.app, 'POST', '/api/v1/billing/manual/00000000-0000-4000-8000-000000000000/complete', { token: u.access_token });
      expect(complete.statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe('subscriptions', () => {
  it('a plan payment starts a subscription with its credits; another renews from the period end; cancel keeps it to the end', async () => {
    const u = await signUp(t.app);
    expect((await call(t.app, 'GET', '/api/v1/billing/subscription', { token: u.access_token })).data).toEqual({ subscription: null });
    expect((await call(t.app, 'POST', '/api/v1/billing/subscription/cancel', { token: u.access_token })).statusCode).toBe(404);

    const first = await checkout(u.access_token, { plan_id: plans.basic!.id, provider: 'manual' });
    expect(first.data.payment).toMatchObject({ purpose: 'plan', amount_minor: 5000000, currency: 'IRR', credits: 20 });
    await call(t.app, 'POST', `/api/v1/billing/manual/${first.data.payment.id}/complete`, { token: u.access_token });
    const sub = (await call(t.app, 'GET', '/api/v1/billing/subscription', { token: u.access_token })).data.subscription;
    expect(sub).toMatchObject({ status: 'active', plan: { name: 'basic' }, cancel_at_period_end: false });
    const end = new Date(sub.current_period_end);
    expect(end.getTime()).toBeGreaterThan(t.clock.now().getTime());
    expect(await credits(u.access_token)).toMatchObject({ available: 22, expiring: [{ amount: 20, expires_at: sub.current_period_end }] });

    const second = await checkout(u.access_token, { plan_id: plans.basic!.id, provider: 'manual' });
    await call(t.app, 'POST', `/api/v1/billing/manual/${second.data.payment.id}/complete`, { token: u.access_token });
    const renewed = (await call(t.app, 'GET', '/api/v1/billing/subscription', { token: u.access_token })).data.subscription;
    expect(renewed.current_period_start).toBe(sub.current_period_end);
    expect(await credits(u.access_token)).toMatchObject({ available: 42 });

    const cancelled = await call(t.app, 'POST', '/api/v1/billing/subscription/cancel', { token: u.access_token });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.data.subscription).toMatchObject({ status: 'active', cancel_at_period_end: true });
    const again = await call(t.app, 'POST', '/api/v1/billing/subscription/cancel', { token: u.access_token });
    expect(again.data.subscription.cancel_at_period_end).toBe(true);
    const history = await sqlRows<{ event: string }>(t, `select event from subscription_history where user_id = '${u.user.id}' order by created_at, event`);
    expect(history.map((h) => h.event).sort()).toEqual(['cancel_requested', 'renewed', 'started']);
  });
});
