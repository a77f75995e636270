/**
 * Pending payments expire after ATELIER_PAYMENT_PENDING_TTL, and a payment that leaves `pending`
 * without completing gives back the coupon use its checkout took, once.
 * Real: app, database, auth, checkout, coupons, fulfilment, the expiry sweep the scheduled job runs,
 * parallel transactions. Stand-ins: the `manual` provider plays the gateway; a manual clock; coupons
 * are inserted with SQL; the sweep is called directly (its cron registration is checked).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { jobDefinitions } from '../../src/jobs.ts';
import { checkCreditInvariants, expireStalePayments, failPending } from '../../src/modules/billing/index.ts';
import { signUp } from '../helpers/accounts.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { planIds } from '../helpers/billing.ts';

const HOUR = 3_600_000;
let t: TestApp;
let plans: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp({ env: { ATELIER_PAYMENTS_MANUAL: 'on' } });
  plans = await planIds(t.app);
});
afterEach(async () => {
  expect(await checkCreditInvariants(t.database.db)).toEqual([]);
});
afterAll(async () => t?.close());

const expire = () => expireStalePayments({ db: t.database.db, clock: t.clock, pendingTtlSec: t.config.payments.pendingTtlSec });

let n = 0;
async function coupon(fields: Record<string, number>) {
  const code = `EXP${Date.now().toString(36).toUpperCase()}${++n}`;
  await sqlRows(t, `insert into coupons (code, type, value, max_uses, per_user_limit) values ('${code}', 'percentage', 10, ${fields.max_uses ?? 'null'}, ${fields.per_user_limit ?? 1})`);
  return code;
}
const couponState = async (code: string) =>
  (await sqlRows<{ uses_count: number; redemptions: number }>(
    t,
    `select uses_count, (select count(*)::int from coupon_redemptions r where r.coupon_id = c.id) as redemptions from coupons c where code = '${code}'`,
  ))[0]!;
const paymentStatus = async (id: string) => (await sqlRows<{ status: string }>(t, `select status from payments where id = '${id}'`))[0]!.status;
const checkout = (token: string, body: Record<string, unknown>) => call(t.app, 'POST', '/api/v1/billing/checkout', { token, body: { plan_id: plans.basic, provider: 'manual', ...body } });

describe('configuration', () => {
  it('defaults to 24 hours, takes ATELIER_PAYMENT_PENDING_TTL in seconds and refuses nonsense', () => {
    expect(loadConfig({}).payments.pendingTtlSec).toBe(86_400);
    expect(loadConfig({ ATELIER_PAYMENT_PENDING_TTL: '3600' }).payments.pendingTtlSec).toBe(3600);
    for (const bad of ['10', 'soon', '-1']) expect(() => loadConfig({ ATELIER_PAYMENT_PENDING_TTL: bad }), bad).toThrow(/ATELIER_PAYMENT_PENDING_TTL/);
  });

  it('the job is scheduled', () => {
    expect(jobDefinitions.find((d) => d.name === 'billing.expire-payments')?.cron).toBeTruthy();
  });
});

describe('pending payment expiry', () => {
  it('expires a payment left pending past the TTL, grants nothing, and frees its coupon use', async () => {
    const [a, b] = await Promise.all([signUp(t.app), signUp(t.app)]);
    const code = await coupon({ max_uses: 1 });
    const paid = await checkout(a.access_token, { coupon_code: code });
    expect(paid.statusCode, paid.body).toBe(201);
    expect(await couponState(code)).toEqual({ uses_count: 1, redemptions: 1 });
    // Used up while the payment is pending.
    expect((await checkout(b.access_token, { coupon_code: code })).data.code).toBe('invalid_code');

    t.clock.advance(23 * HOUR);
    await expire();
    expect(await paymentStatus(paid.data.payment.id)).toBe('pending');

    t.clock.advance(HOUR + 1000);
    expect(await expire()).toBeGreaterThanOrEqual(1);
    expect(await paymentStatus(paid.data.payment.id)).toBe('expired');
    expect(await couponState(code)).toEqual({ uses_count: 0, redemptions: 0 });
    expect(await expire()).toBe(0);
    expect(await couponState(code)).toEqual({ uses_count: 0, redemptions: 0 });

    const token = (await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: a.email, password: a.password } })).data.access_token;
    const late = await call(t.app, 'POST', `/api/v1/billing/manual/${paid.data.payment.id}/complete`, { token });
    expect(late.statusCode).toBe(409);
    expect((await call(t.app, 'GET', '/api/v1/credits', { token })).data.available).toBe(2);
    expect((await call(t.app, 'GET', '/api/v1/billing/subscription', { token })).data.subscription).toBeNull();
    // The freed use can be taken again, by the same user too (the per-user count was freed).
    expect((await checkout(token, { coupon_code: code })).statusCode).toBe(201);
    expect(await couponState(code)).toEqual({ uses_count: 1, redemptions: 1 });
  });

  it('leaves a Stripe payment pending until every late webhook could have arrived, then expires it', async () => {
    const a = await signUp(t.app);
    const [row] = await sqlRows<{ id: string }>(
      t,
      `insert into payments (user_id, purpose, provider, provider_payment_id, package_id, amount_minor, currency, credits, created_at, updated_at)
       select '${a.user.id}', 'package', 'stripe', 'cs_late_${Date.now()}', id, amount_minor, currency, credits, '${t.clock.now().toISOString()}', now()
       from credit_packages order by sort_order limit 1 returning id`,
    );
    t.clock.advance(25 * HOUR);
    await expire();
    expect(await paymentStatus(row!.id)).toBe('pending'); // a delayed checkout.session.completed can still complete it
    t.clock.advance(3 * 24 * HOUR);
    expect(await expire()).toBeGreaterThanOrEqual(1);
    expect(await paymentStatus(row!.id)).toBe('expired');
  });

  it('a completed payment keeps its coupon use', async () => {
    const u = await signUp(t.app);
    const code = await coupon({ max_uses: 5 });
    const paid = await checkout(u.access_token, { coupon_code: code });
    await call(t.app, 'POST', `/api/v1/billing/manual/${paid.data.payment.id}/complete`, { token: u.access_token });
    t.clock.advance(25 * HOUR);
    await expire();
    expect(await paymentStatus(paid.data.payment.id)).toBe('completed');
    expect(await couponState(code)).toEqual({ uses_count: 1, redemptions: 1 });
  });

  it('gives the use back once when many fail the same payment in parallel', async () => {
    const u = await signUp(t.app);
    const code = await coupon({ max_uses: 5 });
    const other = await signUp(t.app);
    await checkout(other.access_token, { coupon_code: code });
    const paid = await checkout(u.access_token, { coupon_code: code });
    expect(await couponState(code)).toEqual({ uses_count: 2, redemptions: 2 });
    const results = await Promise.all(
      (['failed', 'cancelled', 'expired', 'failed', 'cancelled'] as const).map((status) => t.database.db.transaction((tx) => failPending(tx, t.clock.now(), paid.data.payment.id, status, 'test'))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await couponState(code)).toEqual({ uses_count: 1, redemptions: 1 });
  });

  it('a completion racing the expiry either completes (use kept, plan given) or expires (use freed, nothing given)', async () => {
    for (let i = 0; i < 3; i++) {
      const u = await signUp(t.app);
      const code = await coupon({ max_uses: 5 });
      const paid = await checkout(u.access_token, { coupon_code: code });
      t.clock.advance(24 * HOUR + 1000);
      const token = (await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: u.email, password: u.password } })).data.access_token;
      const [done] = await Promise.all([call(t.app, 'POST', `/api/v1/billing/manual/${paid.data.payment.id}/complete`, { token }), expire()]);
      const status = await paymentStatus(paid.data.payment.id);
      const subscription = (await call(t.app, 'GET', '/api/v1/billing/subscription', { token })).data.subscription;
      if (status === 'completed') {
        expect(done.statusCode).toBe(200);
        expect(await couponState(code)).toEqual({ uses_count: 1, redemptions: 1 });
        expect(subscription).toMatchObject({ status: 'active' });
      } else {
        expect(status).toBe('expired');
        expect(done.statusCode).toBe(409);
        expect(await couponState(code)).toEqual({ uses_count: 0, redemptions: 0 });
        expect(subscription).toBeNull();
      }
    }
  });
});
