/**
 * Billing administration: credit adjustments and coupons, each audit-logged.
 * Real: app, database, auth and roles, the ledger, audit rows. Stand-in: the admin is a signed-up
 * user promoted with SQL.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkCreditInvariants } from '../../src/modules/billing/index.ts';
import { call, createTestApp, type TestApp } from '../helpers/app.ts';
import { countRows, signUp, signUpAdmin } from '../helpers/accounts.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
beforeAll(async () => {
  t = await createTestApp();
 admin = await signUpAdmin(t);
});
afterEach(async () => {
  expect(await checkCreditInvariants(t.database.db)).toEqual([]);
});
afterAll(async () => t?.close());

const adjust = (token: string, userId: string, body: unknown) => call(t.app, 'POST', `/api/v1/admin/users/${userId}/credits`, { token, body });

describe('POST /admin/users/{id}/credits', () => {
  it('adds and takes credits with admin_adjustment rows and an audit row each', async () => {
    const u = await signUp(t.app);
    const add = await adjust(admin.access_token, u.user.id, { amount: 10, reason: 'support refund' });
    expect(add.statusCode, add.body).toBe(200);
    expect(add.data).toMatchObject({ amount: 10, available: 12, held: 0 });
    t.clock.advance(1000); // newest first is by time; two rows in one millisecond have no order between them
    const take = await adjust(admin.access_token, u.user.id, { amount: -5, reason: 'duplicate grant' });
    expect(take.data.available).toBe(7);
    const rows = await call(t.app, 'GET', '/api/v1/credits/transactions?type=admin_adjustment', { token: u.access_token });
    expect(rows.data.data).toMatchObject([
      { amount: -5, description: 'duplicate grant' },
      { amount: 10, description: 'support refund' },
    ]);
    expect(await countRows(t, `select count(*) as n from audit_logs where action = 'billing.credits.adjust' and target_id = '${u.user.id}'`)).toBe(2);
  });

  it('refuses to take more than available (402), bad bodies (400), unknown users (404), non-admins (403), and changes nothing', async () => {
    const u = await signUp(t.app);
    const over = await adjust(admin.access_token, u.user.id, { amount: -3, reason: 'too much' });
    expect(over.statusCode).toBe(402);
    expect(over.data.code).toBe('insufficient_credits');
    for (const body of [{ amount: 0, reason: 'zero' }, { amount: 1.5, reason: 'half' }, { amount: 5 }, { amount: 5, reason: 'x', extra: 1 }]) {
      expect((await adjust(admin.access_token, u.user.id, body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await adjust(admin.access_token, '00000000-0000-4000-8000-000000000000', { amount: 5, reason: 'nobody' })).statusCode).toBe(404);
    const self = await adjust(u.access_token, u.user.id, { amount: 100, reason: 'free money' });
    expect(self.statusCode).toBe(403);
    expect((await call(t.app, 'GET', '/api/v1/credits', { token: u.access_token })).data.available).toBe(2);
    expect(await countRows(t, `select count(*) as n from audit_logs where action = 'billing.credits.adjust' and target_id = '${u.user.id}'`)).toBe(0);
  });
});

describe('/admin/coupons', () => {
  it('creates, lists and deactivates coupons; a created credits coupon can be redeemed', async () => {
    const created = await call(t.app, 'POST', '/api/v1/admin/coupons', {
      token: admin.access_token,
      body: { code: 'welcome-5', type: 'credits', value: 5, max_uses: 10 },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.data).toMatchObject({ code: 'WELCOME-5', type: 'credits', value: 5, max_uses: 10, uses_count: 0, is_active: true });
    const dup = await call(t.app, 'POST', '/api/v1/admin/coupons', { token: admin.access_token, body: { code: 'WELCOME-5', type: 'credits', value: 1 } });
    expect(dup.statusCode).toBe(409);
    const u = await signUp(t.app);
    expect((await call(t.app, 'POST', '/api/v1/billing/coupons/redeem', { token: u.access_token, body: { code: 'welcome-5' } })).data).toEqual({ credits_awarded: 5, available: 7 });
    const list = await call(t.app, 'GET', '/api/v1/admin/coupons', { token: admin.access_token });
    expect(list.data.data.find((c: { code: string }) => c.code === 'WELCOME-5').uses_count).toBe(1);
    const off = await call(t.app, 'PATCH', `/api/v1/admin/coupons/${created.data.id}`, { token: admin.access_token, body: { is_active: false } });
    expect(off.data.is_active).toBe(false);
    const v = await signUp(t.app);
    expect((await call(t.app, 'POST', '/api/v1/billing/coupons/redeem', { token: v.access_token, body: { code: 'welcome-5' } })).statusCode).toBe(400);
    expect(await countRows(t, `select count(*) as n from audit_logs where target_id = '${created.data.id}'`)).toBe(2);
  });

  it('refuses bad coupons and non-admins', async () => {
    const bad = [
      { code: 'P1X', type: 'percentage', value: 150 },
      { code: 'F1X', type: 'fixed_amount', value: 100 },
      { code: 'no spaces', type: 'credits', value: 1 },
      { code: 'W1X', type: 'credits', value: 1, valid_from: '2030-01-02T00:00:00Z', valid_until: '2030-01-01T00:00:00Z' },
    ];
    for (const body of bad) {
      const res = await call(t.app, 'POST', '/api/v1/admin/coupons', { token: admin.access_token, body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    const u = await signUp(t.app);
    expect((await call(t.app, 'POST', '/api/v1/admin/coupons', { token: u.access_token, body: { code: 'MINE', type: 'credits', value: 99 } })).statusCode).toBe(403);
    expect((await call(t.app, 'GET', '/api/v1/admin/coupons', { token: u.access_token })).statusCode).toBe(403);
    expect((await call(t.app, 'PATCH', '/api/v1/admin/coupons/00000000-0000-4000-8000-000000000000', { token: admin.access_token, body: { is_active: false } })).statusCode).toBe(404);
  });
});

describe('/admin/packages and /admin/plans', () => {
  it('creates a package buyers then see, changes it, and deactivating hides it; each write audited', async () => {
    const created = await call(t.app, 'POST', '/api/v1/admin/packages', {
      token: admin.access_token,
      body: { name: 'Tiny', credits: 3, amount_minor: 199, currency: 'EUR', credits_valid_days: 30, provider_price_ids: { stripe: 'price_tiny' } },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.data).toMatchObject({ name: 'Tiny', credits: 3, amount_minor: 199, currency: 'EUR', is_active: true, provider_price_ids: { stripe: 'price_tiny' } });
    const names = async () => (await call(t.app, 'GET', '/api/v1/billing/packages')).data.data.map((p: { name: string }) => p.name);
    expect(await names()).toContain('Tiny');
    expect((await call(t.app, 'POST', '/api/v1/admin/packages', { token: admin.access_token, body: { name: 'Tiny', credits: 1, amount_minor: 1, currency: 'EUR' } })).statusCode).toBe(409);
    const changed = await call(t.app, 'PATCH', `/api/v1/admin/packages/${created.data.id}`, { token: admin.access_token, body: { amount_minor: 149 } });
    expect(changed.data.amount_minor).toBe(149);
    await call(t.app, 'PATCH', `/api/v1/admin/packages/${created.data.id}`, { token: admin.access_token, body: { is_active: false } });
    expect(await names()).not.toContain('Tiny');
    expect((await call(t.app, 'GET', '/api/v1/admin/packages', { token: admin.access_token })).data.data.map((p: { name: string }) => p.name)).toContain('Tiny');
    expect(await countRows(t, `select count(*) as n from audit_logs where target_id = '${created.data.id}'`)).toBe(3);
  });

  it('creates and changes plans; refuses bad input and non-admins', async () => {
    const created = await call(t.app, 'POST', '/api/v1/admin/plans', {
      token: admin.access_token,
      body: { name: 'studio', display_name: 'Studio', audience: 'vendor', amount_minor: 990, currency: 'USD', billing_period: 'month', gallery_limit: 2000 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const vendorPlans = await call(t.app, 'GET', '/api/v1/billing/plans?audience=vendor');
    expect(vendorPlans.data.data.map((p: { name: string }) => p.name)).toContain('studio');
    const changed = await call(t.app, 'PATCH', `/api/v1/admin/plans/${created.data.id}`, { token: admin.access_token, body: { has_watermark: true, features: ['a'] } });
    expect(changed.data).toMatchObject({ has_watermark: true, features: ['a'], gallery_limit: 2000 });
    for (const body of [{ name: 'Bad Name', display_name: 'x', audience: 'user', amount_minor: 1, currency: 'USD', billing_period: 'month' }, { name: 'ok_name', display_name: 'x', audience: 'robots', amount_minor: 1, currency: 'USD', billing_period: 'month' }, { name: 'ok_name', display_name: 'x', audience: 'user', amount_minor: -1, currency: 'USD', billing_period: 'month' }]) {
      expect((await call(t.app, 'POST', '/api/v1/admin/plans', { token: admin.access_token, body })).statusCode, JSON.stringify(body)).toBe(400);
    }
    const u = await signUp(t.app);
    expect((await call(t.app, 'PATCH', `/api/v1/admin/plans/${created.data.id}`, { token: u.access_token, body: { amount_minor: 0 } })).statusCode).toBe(403);
    expect((await call(t.app, 'PATCH', '/api/v1/admin/plans/00000000-0000-4000-8000-000000000000', { token: admin.access_token, body: { amount_minor: 0 } })).statusCode).toBe(404);
  });
});
