/**
 * Checkout holds no database transaction while the payment provider answers: the pending payment
 * and its coupon use are committed first, the provider is asked, and the outcome is recorded after.
 * Real: app, database (PGlite, and PostgreSQL with TEST_DATABASE_URL), auth, coupons, the `stripe`
 * SDK and its HTTP requests. Stand-in: Stripe's API (test/helpers/stripe-stand-in.ts), which can
 * hold a request unanswered as a slow Stripe would; a manual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { countRows, signUp, signUpAdmin } from '../helpers/accounts.ts';
import { startStripeStandIn, stripeEnv, type StripeStandIn } from '../helpers/stripe-stand-in.ts';

let stripe: StripeStandIn;
let t: TestApp;
let packageId: string;
let admin: { access_token: string };
beforeAll(async () => {
  stripe = await startStripeStandIn();
  t = await createTestApp({ env: stripeEnv(stripe) });
  const packages = (await call(t.app, 'GET', '/api/v1/billing/packages')).data.data as { id: string; name: string }[];
  packageId = packages.find((p) => p.name === 'Pro')!.id;
  admin = await signUpAdmin(t);
});
afterAll(async () => {
  await t?.close();
  await stripe?.close();
});

const checkout = (token: string, body: Record<string, unknown>) => call(t.app, 'POST', '/api/v1/billing/checkout', { token, body });

async function coupon(code: string, maxUses: number) {
  const made = await call(t.app, 'POST', '/api/v1/admin/coupons', { token: admin.access_token, body: { code, type: 'fixed_amount', value: 100, currency: 'USD', max_uses: maxUses } });
  expect(made.statusCode, made.body).toBe(201);
}
const usesOf = async (code: string) => (await sqlRows<{ uses_count: number }>(t, `select uses_count from coupons where code = '${code}'`))[0]!.uses_count;

describe('checkout while the provider is slow', () => {
  it('another request’s database work (GET /me, a checkout with the same coupon) completes while a checkout waits on Stripe', async () => {
    await coupon('SLOWPOKE', 5);
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    const order: string[] = [];
    const held = stripe.holdNext(/^POST \/v1\/checkout\/sessions$/);
    const waiting = checkout(a.access_token, { package_id: packageId, provider: 'stripe', coupon_code: 'SLOWPOKE' }).then((r) => {
      order.push('held checkout');
      return r;
    });
    await held.arrived;
    // Were the first checkout still in a transaction, these would wait for Stripe's answer (and the coupon row's lock).
    const me = await call(t.app, 'GET', '/api/v1/me', { token: b.access_token });
    order.push('me');
    const other = await checkout(b.access_token, { package_id: packageId, provider: 'stripe', coupon_code: 'SLOWPOKE' });
    order.push('other checkout');
    held.release();
    const first = await waiting;
    expect(me.statusCode, me.body).toBe(200);
    expect(other.statusCode, other.body).toBe(201);
    expect(first.statusCode, first.body).toBe(201);
    expect(order).toEqual(['me', 'other checkout', 'held checkout']);
    expect(await usesOf('SLOWPOKE')).toBe(2);
    const [row] = await sqlRows<{ status: string; provider_payment_id: string }>(t, `select status, provider_payment_id from payments where id = '${first.data.payment.id}'`);
    expect(row).toMatchObject({ status: 'pending', provider_payment_id: expect.stringMatching(/^cs_test_/) });
  });

  it('a coupon’s max_uses holds under parallel checkouts that each wait on Stripe', async () => {
    await coupon('ONLYTWO', 2);
    const users = await Promise.all(Array.from({ length: 6 }, () => signUp(t.app)));
    const results = await Promise.all(users.map((u) => checkout(u.access_token, { package_id: packageId, provider: 'stripe', coupon_code: 'ONLYTWO' })));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(2);
    expect(results.filter((r) => r.statusCode === 400).map((r) => r.data.code)).toEqual(Array(4).fill('invalid_code'));
    expect(await usesOf('ONLYTWO')).toBe(2);
    expect(await countRows(t, `select count(*) as n from coupon_redemptions r join coupons c on c.id = r.coupon_id where c.code = 'ONLYTWO'`)).toBe(2);
  });

  it('a failing Stripe leaves no pending payment and no coupon use held: the same last use is free again', async () => {
    await coupon('LASTONE', 1);
    const u = await signUp(t.app);
    stripe.failNext(/^POST \/v1\/checkout\/sessions$/, { status: 500, type: 'api_error', message: 'down' });
    const failed = await checkout(u.access_token, { package_id: packageId, provider: 'stripe', coupon_code: 'LASTONE' });
    expect(failed.statusCode, failed.body).toBe(502);
    expect(failed.data.code).toBe('payment_provider_error');
    expect(await countRows(t, `select count(*) as n from payments where user_id = '${u.user.id}' and status = 'pending'`)).toBe(0);
    expect(await countRows(t, `select count(*) as n from payments where user_id = '${u.user.id}' and status = 'failed'`)).toBe(1);
    expect(await usesOf('LASTONE')).toBe(0);
    expect(await countRows(t, `select count(*) as n from coupon_redemptions r join coupons c on c.id = r.coupon_id where c.code = 'LASTONE'`)).toBe(0);
    const again = await checkout(u.access_token, { package_id: packageId, provider: 'stripe', coupon_code: 'LASTONE' });
    expect(again.statusCode, again.body).toBe(201);
    expect(await usesOf('LASTONE')).toBe(1);
  });
});
