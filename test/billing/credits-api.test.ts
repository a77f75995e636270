/**
 * GET /credits and GET /credits/transactions.
 * Real: app, database, auth, the ledger writing the rows shown. Stand-in: a manual clock.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCreditInvariants, createLedger } from '../../src/modules/billing/index.ts';
import { call, createTestApp, type TestApp } from '../helpers/app.ts';
import { signUp } from '../helpers/accounts.ts';

const DAY = 86_400_000;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  expect(await checkCreditInvariants(t.database.db)).toEqual([]);
  await t?.close();
});

describe('GET /credits', () => {
  it('needs a signed-in user', async () => {
    expect((await call(t.app, 'GET', '/api/v1/credits')).statusCode).toBe(401);
  });

  it('shows the sign-up grant, totals and what expires when, soonest first', async () => {
    const u = await signUp(t.app);
    const ledger = createLedger({ clock: t.clock });
    const now = t.clock.now().getTime();
    const soon = new Date(now + DAY);
    const later = new Date(now + 30 * DAY);
    await t.database.db.transaction(async (tx) => {
      await ledger.grant(tx, { userId: u.user.id, type: 'purchase', amount: 10, expiresAt: later, idempotencyKey: `k:${randomUUID()}` });
      await ledger.grant(tx, { userId: u.user.id, type: 'bonus', amount: 3, expiresAt: soon, idempotencyKey: `k:${randomUUID()}` });
      await ledger.spend(tx, { userId: u.user.id, amount: 4, idempotencyKey: `k:${randomUUID()}` });
    });
    const res = await call(t.app, 'GET', '/api/v1/credits', { token: u.access_token });
    expect(res.statusCode).toBe(200);
    expect(res.data).toEqual({
      available: 11,
      held: 0,
      total_purchased: 10,
      total_used: 4,
      expiring: [
        { amount: 9, expires_at: later.toISOString() },
      ],
    });
  });
});

describe('GET /credits/transactions', () => {
  it('lists only the caller’s rows, newest first, by type and by pages', async () => {
    const u = await signUp(t.app);
    const other = await signUp(t.app);
    const ledger = createLedger({ clock: t.clock });
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      await t.database.db.transaction((tx) => ledger.grant(tx, { userId: u.user.id, type: 'bonus', amount: i + 1, idempotencyKey: `k:${randomUUID()}` }));
    }
    const all = await call(t.app, 'GET', '/api/v1/credits/transactions?limit=4', { token: u.access_token });
    expect(all.statusCode).toBe(200);
    expect(all.data.data.map((r: { amount: number }) => r.amount)).toEqual([5, 4, 3, 2]);
    expect(all.data.data[0]).toMatchObject({ type: 'bonus', balance_before: 12, balance_after: 17 });
    const next = await call(t.app, 'GET', `/api/v1/credits/transactions?limit=4&cursor=${all.data.next_cursor}`, { token: u.access_token });
    expect(next.data.data.map((r: { type: string }) => r.type)).toEqual(['bonus', 'signup_bonus']);
    expect(next.data.next_cursor).toBeNull();
    const signup = await call(t.app, 'GET', '/api/v1/credits/transactions?type=signup_bonus', { token: u.access_token });
    expect(signup.data.data).toHaveLength(1);
    const theirs = await call(t.app, 'GET', '/api/v1/credits/transactions', { token: other.access_token });
    expect(theirs.data.data).toHaveLength(1);
  });

  it('refuses an unknown type and a bad cursor with 400', async () => {
    const u = await signUp(t.app);
    for (const qs of ['type=free_money', 'cursor=nope', 'limit=0']) {
      const res = await call(t.app, 'GET', `/api/v1/credits/transactions?${qs}`, { token: u.access_token });
      expect(res.statusCode, qs).toBe(400);
      expect(res.data.code).toBe('validation_failed');
    }
  });
});
