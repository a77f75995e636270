/**
 * The hourly prune: what it deletes and what it keeps. Real: database and queries; the job runs
 * its handler logic directly (its scheduling is pg-boss's). Stand-in: a manual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prune } from '../src/maintenance.ts';
import { countRows, signUp } from './helpers/accounts.ts';
import { call, codesSent, createTestApp, sqlRows, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('maintenance.prune', () => {
  it('deletes expired codes and long-ended sessions, and keeps live ones', async () => {
    const live = await signUp(t.app);
    const ended = await signUp(t.app);
    await call(t.app, 'POST', '/api/v1/auth/logout', { body: { refresh_token: ended.refresh_token } });
    await call(t.app, 'POST', '/api/v1/auth/otp/request', { body: { email: live.email, purpose: 'login' } });
    await codesSent(t.app); // the code row is written by a queued job
    const sessionsBefore = await countRows(t, 'select count(*) as n from sessions');

    // Nothing is old enough yet.
    expect(await prune(t.database.db, t.clock.now())).toMatchObject({ otps: 0, sessions: 0 });

    const later = new Date(t.clock.now().getTime() + 31 * 86_400_000);
    const removed = await prune(t.database.db, later);
    expect(removed.otps).toBeGreaterThanOrEqual(1);
    // Only the session that ended (logout) over 30 days before goes; the others expired just
    // a day before `later` and stay listed for now.
    expect(removed.sessions).toBe(1);
    expect(await countRows(t, 'select count(*) as n from sessions')).toBe(sessionsBefore - 1);
    expect(await countRows(t, 'select count(*) as n from otps')).toBe(0);
    expect(await countRows(t, 'select count(*) as n from users')).toBeGreaterThanOrEqual(2);
  });

  it('deletes outbox messages that carry a code after an hour, others after a week', async () => {
    const u = await signUp(t.app); // its verification mail carries a code
    await sqlRows(t, `insert into outbox_messages (channel, "to", body, created_at) values ('email', '${u.email}', 'no code here', '${t.clock.now().toISOString()}')`);
    const codes = () => countRows(t, `select count(*) as n from outbox_messages where "to" = '${u.email}' and code is not null`);
    const plain = () => countRows(t, `select count(*) as n from outbox_messages where "to" = '${u.email}' and code is null`);
    expect(await codes()).toBe(1);
    await prune(t.database.db, new Date(t.clock.now().getTime() + 30 * 60_000));
    expect(await codes()).toBe(1);
    await prune(t.database.db, new Date(t.clock.now().getTime() + 61 * 60_000));
    expect(await codes()).toBe(0);
    expect(await plain()).toBe(1);
  });

  it('keeps system metrics snapshots for 90 days', async () => {
    const snapshot = async () => (await t.modules.systemMetrics.snapshot()).recorded_at;
    const old = await snapshot();
    t.clock.advance(60 * 86_400_000);
    const recent = await snapshot();
    const kept = async () => (await sqlRows<{ recorded_at: Date }>(t, 'select recorded_at from system_metrics order by recorded_at')).map((r) => new Date(r.recorded_at).toISOString());
    expect(await kept()).toEqual([old, recent]);

    expect((await prune(t.database.db, new Date(t.clock.now().getTime() + 29 * 86_400_000))).system_metrics).toBe(0);
    expect((await prune(t.database.db, new Date(t.clock.now().getTime() + 31 * 86_400_000))).system_metrics).toBe(1);
    expect(await kept()).toEqual([recent]);
  });
});
