/**
 * System metrics snapshots (decision 064): the scheduled `admin.system-metrics` job's handler,
 * called directly, records queue depth, the generations that ended since the previous snapshot
 * (throughput, error rate), provider call errors, database and storage size; GET
 * /admin/system/metrics pages through the history with from/to, and refuses a user, a user's API
 * key (403) and bad input (400).
 * Real: app, database (PGlite or PostgreSQL via TEST_DATABASE_URL), pg-boss and its queues (the
 * depth is read from it, a job is queued to see it counted), the job handler as the worker runs it.
 * Stand-ins: a manual clock; generations, provider calls and assets are inserted by SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, signUpAdmin } from '../helpers/accounts.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { allPages } from '../helpers/pages.ts';
import { createLogger } from '../../src/platform/logger.ts';

type Account = Awaited<ReturnType<typeof signUp>>;
let t: TestApp;
let admin: Account;
let user: Account;
beforeAll(async () => {
  t = await createTestApp();
  admin = await signUpAdmin(t);
  user = await signUp(t.app);
});
afterAll(async () => t?.close());

const MINUTE = 60_000;

async function runSnapshotJob() {
  const handler = t.modules.jobHandlers.find((h) => h.definition.name === 'admin.system-metrics');
  expect(handler).toBeDefined();
  expect(handler!.definition.cron).toBe('*/5 * * * *');
  await handler!.handle({}, { jobId: 'test', retryCount: 0, retryLimit: 2, signal: new AbortController().signal, log: createLogger('silent') });
}

/** Generations of `user` that ended at `at`, by status. */
async function ended(at: Date, statuses: string[]) {
  await sqlRows(
    t,
    `insert into generations (user_id, type, studio, status, provider, credits_per_output, credits_reserved, deadline_at, completed_at)
     values ${statuses.map((s) => `('${user.user.id}', 'upscale', 'print-prep', '${s}', 'local', 1, 1, '${at.toISOString()}', '${at.toISOString()}')`).join(', ')}`,
  );
}
async function calls(at: Date, statuses: string[]) {
  await sqlRows(
    t,
    `insert into provider_calls (provider, operation, status, latency_ms, created_at)
     values ${statuses.map((s) => `('fal', 'predict', '${s}', 10, '${at.toISOString()}')`).join(', ')}`,
  );
}
const numberOf = async (text: string) => Number((await sqlRows<{ n: string | number }>(t, text))[0]!.n ?? 0);

describe('system metrics snapshots', () => {
  it('records what happened since the previous snapshot, and the route pages through the history', async () => {
    const start = t.clock.now();
    // Before the first snapshot's five-minute window: not counted.
    await ended(new Date(start.getTime() - 10 * MINUTE), ['completed', 'failed']);
    await ended(new Date(start.getTime() - 2 * MINUTE), ['completed', 'completed', 'completed', 'failed']);
    await calls(new Date(start.getTime() - MINUTE), ['ok', 'error', 'error']);
    await sqlRows(
      t,
      `insert into assets (owner_id, kind, storage_key, filename, mime_type, size_bytes, width, height, sha256)
       values ('${user.user.id}', 'upload', 'metrics/a.png', 'a.png', 'image/png', 1234, 1, 1, 'x')`,
    );

    await runSnapshotJob();
    t.clock.advance(5 * MINUTE);
    const second = t.clock.now();
    await ended(new Date(second.getTime() - MINUTE), ['completed', 'failed', 'cancelled']);
    await runSnapshotJob();

    const history = await allPages(t.app, admin.access_token, '/admin/system/metrics', 1);
    expect(history).toHaveLength(2);
    const [latest, first] = history;
    expect(first).toMatchObject({
      recorded_at: start.toISOString(),
      window_seconds: 300,
      generations: { finished: 4, failed: 1, throughput_per_minute: 4 / 5, error_rate: 0.25 },
      provider_calls: { total: 3, errors: 2 },
    });
    expect(latest).toMatchObject({
      recorded_at: second.toISOString(),
      window_seconds: 300,
      generations: { finished: 3, failed: 1, throughput_per_minute: 3 / 5, error_rate: 1 / 3 },
      provider_calls: { total: 0, errors: 0 },
    });
    const storage = await numberOf('select sum(size_bytes) as n from assets');
    expect(storage).toBeGreaterThanOrEqual(1234);
    expect(latest.storage_bytes).toBe(storage);
    expect(latest.database_bytes).toBeGreaterThan(100_000);
    const prune = first.queue.queues.find((q: { name: string }) => q.name === 'maintenance.prune');
    expect(prune).toBeDefined();
    expect(first.queue.queued).toBe(first.queue.queues.reduce((s: number, q: { queued: number }) => s + q.queued, 0));
    expect(first.queue.queues.map((q: { name: string }) => q.name)).toContain('admin.system-metrics');

    // from is inclusive, to exclusive for a date-time.
    const only = async (q: string) => (await allPages(t.app, admin.access_token, `/admin/system/metrics?${q}`, 10)).map((m) => m.recorded_at);
    expect(await only(`from=${second.toISOString()}`)).toEqual([second.toISOString()]);
    expect(await only(`to=${second.toISOString()}`)).toEqual([start.toISOString()]);
    expect(await only(`from=${start.toISOString().slice(0, 10)}&to=${second.toISOString().slice(0, 10)}`)).toHaveLength(2);
  });

  it('refuses a user and a user’s API key (403), no credential (401), bad input (400)', async () => {
    const key = await call(t.app, 'POST', '/api/v1/me/api-keys', { token: user.access_token, body: { name: 'ci' } });
    for (const token of [user.access_token, key.data.key as string]) expect((await call(t.app, 'GET', '/api/v1/admin/system/metrics', { token })).statusCode).toBe(403);
    expect((await call(t.app, 'GET', '/api/v1/admin/system/metrics')).statusCode).toBe(401);
    for (const q of ['from=soon', 'to=2026-02-30', 'from=2026-02-01&to=2026-01-01', 'limit=500']) {
      const res = await call(t.app, 'GET', `/api/v1/admin/system/metrics?${q}`, { token: admin.access_token });
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('a snapshot after a long stop measures at most the last hour', async () => {
    t.clock.advance(6 * 60 * MINUTE);
    await runSnapshotJob();
    // Access tokens do not last six hours: the admin signs in again.
    const login = await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: admin.email, password: admin.password } });
    const [latest] = (await call(t.app, 'GET', '/api/v1/admin/system/metrics?limit=1', { token: login.data.access_token })).data.data;
    expect(latest.window_seconds).toBe(3600);
  });
});
