/**
 * GET /admin/system.
 * Real: app, database (PGlite or PostgreSQL, whichever the run uses), pg-boss and its queues, local
 * storage, the credit invariant check over all users. Stand-in: the admin is a signed-up user
 * promoted with SQL; one user's books are unbalanced by SQL to see the report catch it (and put back).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, signUpAdmin } from '../helpers/accounts.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
beforeAll(async () => {
  t = await createTestApp({ env: { ATELIER_PAYMENTS_MANUAL: 'on' } });
 admin = await signUpAdmin(t);
});
afterAll(async () => t?.close());

const system = (token?: string) => call(t.app, 'GET', '/api/v1/admin/system', { token });

describe('GET /admin/system', () => {
  it('reports version, uptime, database, queues, storage, payment providers and balanced books', async () => {
    await Promise.all([signUp(t.app), signUp(t.app)]);
    const res = await system(admin.access_token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      database: { kind: t.database.kind },
      storage: { driver: 'local' },
      payment_providers: ['manual'],
      queue: { status: 'ok' },
      credit_invariants: { ok: true, violation_count: 0, violations: [] },
    });
    expect(res.data.uptime_seconds).toBeGreaterThanOrEqual(0);
    expect(res.data.credit_invariants.checked_users).toBeGreaterThanOrEqual(3);
    const names = res.data.queue.queues.map((q: { name: string }) => q.name);
    expect(names).toEqual(expect.arrayContaining(['billing.expire-credits', 'billing.expire-subscriptions', 'billing.expire-payments', 'media.retention']));
    for (const q of res.data.queue.queues) expect(q).toEqual({ name: expect.any(String), queued: expect.any(Number), deferred: expect.any(Number), active: expect.any(Number), failed: expect.any(Number), total: expect.any(Number) });
  });

  it('names a user whose books do not balance', async () => {
    const u = await signUp(t.app);
    await sqlRows(t, `update credit_balances set available = available + 1 where user_id = '${u.user.id}'`);
    try {
      const report = (await system(admin.access_token)).data.credit_invariants;
      expect(report).toMatchObject({ ok: false, violation_count: 1 });
      expect(report.violations).toEqual([{ user_id: u.user.id, available: 3, held: 0, ledger_sum: 2, lots_remaining: 2, holds_held: 0 }]);
    } finally {
      await sqlRows(t, `update credit_balances set available = available - 1 where user_id = '${u.user.id}'`);
    }
    expect((await system(admin.access_token)).data.credit_invariants.ok).toBe(true);
  });

  it('is for admins only: 403 for others, 401 without credentials', async () => {
    const u = await signUp(t.app);
    const v = await signUp(t.app, { account_type: 'vendor', business_name: 'Not Admin' });
    for (const token of [u.access_token, v.access_token]) {
      const res = await system(token);
      expect(res.statusCode).toBe(403);
      expect(res.data.code).toBe('forbidden');
    }
    expect((await system()).statusCode).toBe(401);
  });
});
