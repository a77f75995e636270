/**
 * The offers: default packages and plans created by the migrations, and the public lists.
 * Real: app, database with its migrations. Stand-ins: none needed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('GET /billing/packages', () => {
  it('lists the default active packages in order, without signing in', async () => {
    const res = await call(t.app, 'GET', '/api/v1/billing/packages');
    expect(res.statusCode).toBe(200);
    expect(res.data.data.map((p: { name: string }) => p.name)).toEqual(['Starter', 'Pro', 'Premium']);
    expect(res.data.data[1]).toMatchObject({ credits: 50, amount_minor: 1999, currency: 'USD', is_featured: true });
  });

  it('hides inactive packages', async () => {
    await sqlRows(t, `update credit_packages set is_active = false where name = 'Premium'`);
    const res = await call(t.app, 'GET', '/api/v1/billing/packages');
    expect(res.data.data.map((p: { name: string }) => p.name)).toEqual(['Starter', 'Pro']);
    await sqlRows(t, `update credit_packages set is_active = true where name = 'Premium'`);
  });
});

describe('GET /billing/plans', () => {
  it('lists user and vendor plans, filtered by audience', async () => {
    const all = await call(t.app, 'GET', '/api/v1/billing/plans');
    expect(all.statusCode).toBe(200);
    expect(all.data.data).toHaveLength(5);
    const users = await call(t.app, 'GET', '/api/v1/billing/plans?audience=user');
    expect(users.data.data.map((p: { display_name: string }) => p.display_name)).toEqual(['Free', 'Basic', 'Advanced']);
    expect(users.data.data[1]).toMatchObject({ name: 'basic', amount_minor: 5000000, currency: 'IRR', billing_period: 'month', credits_per_period: 20, has_watermark: false });
    const vendors = await call(t.app, 'GET', '/api/v1/billing/plans?audience=vendor');
    expect(vendors.data.data).toMatchObject([
      { name: 'vendor_free', display_name: 'Vendor Free', gallery_limit: 10, has_watermark: true },
      { name: 'vendor_pro', display_name: 'Vendor Pro', gallery_limit: 500 },
    ]);
  });

  it('refuses an unknown audience with 400', async () => {
    const res = await call(t.app, 'GET', '/api/v1/billing/plans?audience=robots');
    expect(res.statusCode).toBe(400);
    expect(res.data.code).toBe('validation_failed');
  });
});

describe('GET /billing/providers', () => {
  it('names the providers this server is configured for, without signing in', async () => {
    expect((await call(t.app, 'GET', '/api/v1/billing/providers')).data).toEqual({ providers: [] });
    const other = await createTestApp({ env: { ATELIER_PAYMENTS_MANUAL: 'on', ZARINPAL_MERCHANT_ID: '00000000-0000-0000-0000-000000000000' } });
    try {
      const res = await call(other.app, 'GET', '/api/v1/billing/providers');
      expect(res.statusCode).toBe(200);
      expect(res.data).toEqual({ providers: ['zarinpal', 'manual'] });
    } finally {
      await other.close();
    }
  });
});
