/**
 * The credit ledger core: lots, holds, spends, expiry and the invariants.
 * Real: app, database (PGlite or PostgreSQL), ledger service, the concurrency of parallel
 * transactions (on PostgreSQL truly parallel; on the embedded database they queue). Stand-in: a
 * manual clock, moved by hand to expire lots and holds.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkCreditInvariants, createLedger, sweepExpiredCredits, type Ledger } from '../../src/modules/billing/index.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { signUp } from '../helpers/accounts.ts';

const DAY = 86_400_000;
let t: TestApp;
let ledger: Ledger;
beforeAll(async () => {
  t = await createTestApp({ env: { ATELIER_SIGNUP_CREDITS: '0' } });
  ledger = createLedger({ clock: t.clock });
});
afterEach(async () => {
  expect(await checkCreditInvariants(t.database.db)).toEqual([]);
});
afterAll(async () => t?.close());

const tx = <T>(fn: Parameters<typeof t.database.db.transaction<T>>[0]) => t.database.db.transaction(fn);

async function userWith(...grants: { amount: number; expiresAt?: Date }[]) {
  const u = await signUp(t.app);
  for (const g of grants) {
    await tx((x) => ledger.grant(x, { userId: u.user.id, type: 'bonus', amount: g.amount, expiresAt: g.expiresAt, idempotencyKey: `test:${randomUUID()}` }));
  }
  return u;
}

const balance = async (userId: string) => (await ledger.balance(t.database.db, userId))!;
const expirations = (userId: string) =>
  sqlRows<{ amount: number }>(t, `select amount, balance_before, balance_after, reference_type from credit_transactions where user_id = '${userId}' and type = 'expiration'`);
const settle = <T>(ps: Promise<T>[]) => Promise.allSettled(ps);

describe('spend', () => {
  it('50 parallel spends of 1 against 10 credits: exactly 10 succeed, the rest are 402', async () => {
    const u = await userWith({ amount: 10 });
    const results = await settle(
      Array.from({ length: 50 }, (_, i) => tx((x) => ledger.spend(x, { userId: u.user.id, amount: 1, idempotencyKey: `spend:${u.user.id}:${i}` }))),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(failed.every((r) => r.reason.code === 'insufficient_credits')).toBe(true);
    expect(await balance(u.user.id)).toMatchObject({ available: 0, held: 0, totalUsed: 10 });
    // The balance never went below zero: every ledger row's balance_after is ≥ 0.
    const rows = await sqlRows<{ balance_after: number }>(t, `select balance_after from credit_transactions where user_id = '${u.user.id}'`);
    expect(rows).toHaveLength(11);
    expect(rows.every((r) => r.balance_after >= 0)).toBe(true);
  });

  it('applies one idempotency key once, even when sent in parallel', async () => {
    const u = await userWith({ amount: 10 });
    const key = `spend:${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 5 }, () => tx((x) => ledger.spend(x, { userId: u.user.id, amount: 3, idempotencyKey: key })).catch((e) => e)));
    // Duplicates wait for the first under the balance lock and then find its row: no errors.
    expect(results.filter((r) => r.applied === true)).toHaveLength(1);
    expect(results.filter((r) => r.applied === false)).toHaveLength(4);
    expect((await balance(u.user.id)).available).toBe(7);
  });

  it('takes the soonest-expiring lot first and never-expiring lots last', async () => {
    const now = t.clock.now().getTime();
    const u = await userWith({ amount: 5 }, { amount: 5, expiresAt: new Date(now + 10 * DAY) }, { amount: 5, expiresAt: new Date(now + 2 * DAY) });
    await tx((x) => ledger.spend(x, { userId: u.user.id, amount: 7, idempotencyKey: `s:${randomUUID()}` }));
    const lots = await sqlRows<{ remaining: number; expires_at: Date | null }>(
      t,
      `select remaining, expires_at from credit_lots where user_id = '${u.user.id}' order by expires_at asc nulls last`,
    );
    expect(lots.map((l) => l.remaining)).toEqual([0, 3, 5]);
  });

  it('refuses credits of an expired lot, before and after the sweeper, and writes an expiration row', async () => {
    const u = await userWith({ amount: 4, expiresAt: new Date(t.clock.now().getTime() + DAY) }, { amount: 2 });
    expect((await call(t.app, 'GET', '/api/v1/credits', { token: u.access_token })).data.expiring).toHaveLength(1);
    t.clock.advance(DAY + 1);
    await expect(tx((x) => ledger.spend(x, { userId: u.user.id, amount: 3, idempotencyKey: `s:${randomUUID()}` }))).rejects.toMatchObject({
      code: 'insufficient_credits',
    });
    // The failed spend rolled back its write-off too; the sweeper does it for good.
    expect((await balance(u.user.id)).available).toBe(6);
    const swept = await sweepExpiredCredits({ db: t.database.db, clock: t.clock });
    expect(swept.credits).toBeGreaterThanOrEqual(4);
    expect(await balance(u.user.id)).toMatchObject({ available: 2 });
    // (The access token has expired with the clock move, so the rows are read directly.)
    expect(await expirations(u.user.id)).toMatchObject([{ amount: -4, balance_before: 6, balance_after: 2, reference_type: 'credit_lot' }]);
    expect((await sweepExpiredCredits({ db: t.database.db, clock: t.clock })).credits).toBe(0);
    await tx((x) => ledger.spend(x, { userId: u.user.id, amount: 2, idempotencyKey: `s:${randomUUID()}` }));
    expect((await balance(u.user.id)).available).toBe(0);
  });

  it('refuses zero, negative and fractional amounts', async () => {
    const u = await userWith({ amount: 3 });
    for (const amount of [0, -1, 1.5]) {
      await expect(tx((x) => ledger.spend(x, { userId: u.user.id, amount, idempotencyKey: `s:${randomUUID()}` }))).rejects.toMatchObject({ code: 'validation_failed' });
      await expect(tx((x) => ledger.hold(x, { userId: u.user.id, amount, idempotencyKey: `h:${randomUUID()}` }))).rejects.toMatchObject({ code: 'validation_failed' });
    }
    expect((await balance(u.user.id)).available).toBe(3);
  });
});

describe('spend and grant without a transaction of their own', () => {
  it('spends standalone (one statement); 50 parallel spends of 1 against 10 credits: exactly 10 succeed', async () => {
    const u = await userWith({ amount: 10 });
    const results = await settle(
      Array.from({ length: 50 }, (_, i) => ledger.spend(t.database.db, { userId: u.user.id, amount: 1, idempotencyKey: `solo:${u.user.id}:${i}` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').every((r) => r.reason.code === 'insufficient_credits')).toBe(true);
    expect(await balance(u.user.id)).toMatchObject({ available: 0, held: 0, totalUsed: 10 });
    const rows = await sqlRows<{ balance_before: number; balance_after: number }>(
      t,
      `select balance_before, balance_after from credit_transactions where user_id = '${u.user.id}' and type = 'usage' order by balance_after desc`,
    );
    expect(rows.map((r) => [r.balance_before, r.balance_after])).toEqual(Array.from({ length: 10 }, (_, i) => [10 - i, 9 - i]));
  });

  it('a refused standalone spend writes nothing, not even the write-off of an expired lot', async () => {
    const u = await userWith({ amount: 4, expiresAt: new Date(t.clock.now().getTime() + DAY) }, { amount: 2 });
    t.clock.advance(DAY + 1);
    await expect(ledger.spend(t.database.db, { userId: u.user.id, amount: 3, idempotencyKey: `s:${randomUUID()}` })).rejects.toMatchObject({
      code: 'insufficient_credits',
    });
    expect((await balance(u.user.id)).available).toBe(6);
    expect(await expirations(u.user.id)).toEqual([]);
    // A spend that fits writes the expired lot off first, then spends from the live one.
    await ledger.spend(t.database.db, { userId: u.user.id, amount: 2, idempotencyKey: `s:${randomUUID()}` });
    expect(await balance(u.user.id)).toMatchObject({ available: 0 });
    expect(await expirations(u.user.id)).toMatchObject([{ amount: -4, balance_before: 6, balance_after: 2 }]);
  });

  it("a refused spend leaves the caller's transaction usable", async () => {
    const u = await userWith({ amount: 1 });
    const key = `g:${randomUUID()}`;
    await tx(async (x) => {
      await expect(ledger.spend(x, { userId: u.user.id, amount: 5, idempotencyKey: `s:${randomUUID()}` })).rejects.toMatchObject({ code: 'insufficient_credits' });
      // On PostgreSQL a failed statement would abort the transaction; the refusal is an outcome.
      await ledger.grant(x, { userId: u.user.id, type: 'bonus', amount: 4, idempotencyKey: key });
      await ledger.spend(x, { userId: u.user.id, amount: 5, idempotencyKey: `s:${randomUUID()}` });
    });
    expect(await balance(u.user.id)).toMatchObject({ available: 0, totalUsed: 5 });
  });

  it('returns the ledger row as stored, and the same row when the key replays', async () => {
    const u = await userWith({ amount: 10 });
    const change = { userId: u.user.id, amount: 3, idempotencyKey: `s:${randomUUID()}`, description: 'Render', referenceType: 'generation', referenceId: 'g7', metadata: { n: 1, at: new Date(0), gone: undefined } };
    const first = await ledger.spend(t.database.db, change);
    const again = await tx((x) => ledger.spend(x, change));
    expect(first.applied).toBe(true);
    expect(again.applied).toBe(false);
    expect(again.transaction).toEqual(first.transaction);
    expect(first.transaction).toMatchObject({ type: 'usage', amount: -3, balanceBefore: 10, balanceAfter: 7, metadata: { n: 1, at: '1970-01-01T00:00:00.000Z' } });
    expect((await balance(u.user.id)).available).toBe(7);
  });

  it('a replayed key answers the row it wrote, even once too few credits are left for it, and writes nothing', async () => {
    const u = await userWith({ amount: 3 });
    const change = { userId: u.user.id, amount: 3, idempotencyKey: `s:${randomUUID()}` };
    const first = await ledger.spend(t.database.db, change);
    const again = await ledger.spend(t.database.db, change);
    expect(again).toEqual({ applied: false, transaction: first.transaction });
    const grant = { userId: u.user.id, type: 'bonus' as const, amount: 5, idempotencyKey: `g:${randomUUID()}` };
    await ledger.grant(t.database.db, grant);
    expect((await ledger.grant(t.database.db, grant)).applied).toBe(false);
    expect(await balance(u.user.id)).toMatchObject({ available: 5, totalUsed: 3 });
  });

  it('a replay while a lot is due does not write it off (the lookup comes before any write)', async () => {
    const u = await userWith({ amount: 4, expiresAt: new Date(t.clock.now().getTime() + DAY) }, { amount: 6 });
    const change = { userId: u.user.id, amount: 1, idempotencyKey: `s:${randomUUID()}` };
    await ledger.spend(t.database.db, change);
    t.clock.advance(DAY + 1);
    expect((await ledger.spend(t.database.db, change)).applied).toBe(false);
    expect(await expirations(u.user.id)).toEqual([]);
    expect((await balance(u.user.id)).available).toBe(9);
  });
});

describe('holds', () => {
  it('holds without a ledger row, captures part once and releases the rest', async () => {
    const u = await userWith({ amount: 10 });
    const { hold } = await tx((x) => ledger.hold(x, { userId: u.user.id, amount: 6, idempotencyKey: `h:${randomUUID()}`, referenceType: 'generation', referenceId: 'g1' }));
    expect(await balance(u.user.id)).toMatchObject({ available: 4, held: 6 });
    expect((await call(t.app, 'GET', '/api/v1/credits', { token: u.access_token })).data).toMatchObject({ available: 4, held: 6 });

    const results = await settle(Array.from({ length: 10 }, () => tx((x) => ledger.capture(x, hold.id, 4))));
    const applied = results.filter((r) => r.status === 'fulfilled' && r.value.applied);
    expect(applied).toHaveLength(1);
    expect(await balance(u.user.id)).toMatchObject({ available: 6, held: 0, totalUsed: 4 });
    const usage = await call(t.app, 'GET', '/api/v1/credits/transactions?type=usage', { token: u.access_token });
    expect(usage.data.data).toMatchObject([{ amount: -4, balance_before: 10, balance_after: 6, reference_type: 'generation', reference_id: 'g1' }]);
    // A release after the capture changes nothing.
    expect((await tx((x) => ledger.release(x, hold.id))).applied).toBe(false);
    expect(await balance(u.user.id)).toMatchObject({ available: 6, held: 0 });
  });

  it('releases at most once under parallel calls, racing captures too', async () => {
    const u = await userWith({ amount: 5 });
    const { hold } = await tx((x) => ledger.hold(x, { userId: u.user.id, amount: 5, idempotencyKey: `h:${randomUUID()}` }));
    const results = await settle(Array.from({ length: 10 }, (_, i) => tx((x) => (i % 2 ? ledger.release(x, hold.id) : ledger.capture(x, hold.id)))));
    expect(results.filter((r) => r.status === 'fulfilled' && r.value.applied)).toHaveLength(1);
    const b = await balance(u.user.id);
    expect(b.held).toBe(0);
    expect([0, 5]).toContain(b.available);
  });

  it('refuses a hold larger than available with 402 and changes nothing; a hold key applies once', async () => {
    const u = await userWith({ amount: 3 });
    await expect(tx((x) => ledger.hold(x, { userId: u.user.id, amount: 4, idempotencyKey: `h:${randomUUID()}` }))).rejects.toMatchObject({ code: 'insufficient_credits' });
    expect(await sqlRows(t, `select id from credit_holds where user_id = '${u.user.id}'`)).toHaveLength(0);
    const key = `h:${randomUUID()}`;
    const results = await settle(Array.from({ length: 5 }, () => tx((x) => ledger.hold(x, { userId: u.user.id, amount: 2, idempotencyKey: key }))));
    expect(results.filter((r) => r.status === 'fulfilled' && r.value.applied)).toHaveLength(1);
    expect(await balance(u.user.id)).toMatchObject({ available: 1, held: 2 });
  });

  it('50 parallel holds of 1 against 10 credits: exactly 10 are held', async () => {
    const u = await userWith({ amount: 10 });
    const results = await settle(Array.from({ length: 50 }, (_, i) => tx((x) => ledger.hold(x, { userId: u.user.id, amount: 1, idempotencyKey: `h:${u.user.id}:${i}` }))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(await balance(u.user.id)).toMatchObject({ available: 0, held: 10 });
  });

  it('refuses to capture more than was held', async () => {
    const u = await userWith({ amount: 5 });
    const { hold } = await tx((x) => ledger.hold(x, { userId: u.user.id, amount: 2, idempotencyKey: `h:${randomUUID()}` }));
    await expect(tx((x) => ledger.capture(x, hold.id, 3))).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await balance(u.user.id)).toMatchObject({ available: 3, held: 2 });
  });

  it('gives released credits back to their lots; an expired lot gets them and writes them off', async () => {
    const u = await userWith({ amount: 3, expiresAt: new Date(t.clock.now().getTime() + DAY) }, { amount: 3 });
    const { hold } = await tx((x) => ledger.hold(x, { userId: u.user.id, amount: 4, idempotencyKey: `h:${randomUUID()}` }));
    t.clock.advance(DAY + 1);
    await tx((x) => ledger.release(x, hold.id));
    expect(await balance(u.user.id)).toMatchObject({ available: 3, held: 0 });
    expect(await expirations(u.user.id)).toMatchObject([{ amount: -3 }]);
  });

  it('the sweeper ends holds past their expiry as expired', async () => {
    const u = await userWith({ amount: 5 });
    const { hold } = await tx((x) =>
      ledger.hold(x, { userId: u.user.id, amount: 5, idempotencyKey: `h:${randomUUID()}`, expiresAt: new Date(t.clock.now().getTime() + 1000) }),
    );
    t.clock.advance(2000);
    expect((await sweepExpiredCredits({ db: t.database.db, clock: t.clock })).holds).toBeGreaterThanOrEqual(1);
    expect((await sqlRows<{ status: string }>(t, `select status from credit_holds where id = '${hold.id}'`))[0]!.status).toBe('expired');
    expect(await balance(u.user.id)).toMatchObject({ available: 5, held: 0 });
  });
});
