/**
 * The database going away under a running API, and coming back: requests answer 503 `unavailable`
 * (with Retry-After) while it is unreachable, write nothing, and the API recovers by itself.
 * Real: buildApp() on PostgreSQL (TEST_DATABASE_URL; skipped on PGlite, which lives in-process),
 * its connection pool and the queue's. Stand-in: a TCP proxy between them and the server, cut to
 * drop every connection and refuse new ones, as a restart or a network cut does.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDependencyDown } from '../../src/platform/dependency-down.ts';
import { signUp } from '../helpers/accounts.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { testDatabaseUrl } from '../helpers/databases.ts';
import { proxyPostgres, type TcpProxy } from '../helpers/tcp-proxy.ts';

const serverUrl = testDatabaseUrl();
let t: TestApp;
let proxy: TcpProxy;

beforeAll(async () => {
  if (!serverUrl) return;
  const proxied = await proxyPostgres(serverUrl);
  proxy = proxied.proxy;
  t = await createTestApp({ databaseUrl: proxied.url });
});
afterAll(async () => {
  await proxy?.restore().catch(() => {});
  await t?.close();
  await proxy?.close();
});

/** Asks until the answer is not 503; the pool replaces its dropped connections on demand. */
async function untilBack(ask: () => Promise<{ statusCode: number }>): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const res = await ask();
    if (res.statusCode !== 503) return res.statusCode;
    await new Promise((r) => setTimeout(r, 100));
  }
  return 503;
}

describe.skipIf(!serverUrl)('PostgreSQL unreachable', () => {
  it('answers 503 unavailable while it is down, writes nothing, and recovers by itself', async () => {
    const a = await signUp(t.app);
    expect((await call(t.app, 'GET', '/api/v1/me', { token: a.access_token })).statusCode).toBe(200);
    const [before] = await sqlRows<{ n: string }>(t, `select count(*) as n from generations`);

    await proxy.cut();
    // GET /me is answered from this process's account view until its listener notices that its own
    // connection was cut too, a moment later; then the cache is off (decision 106).
    for (let i = 0; i < 100 && t.modules.accounts.ctx.accountViews.get(a.user.id, t.clock.now().getTime()); i++) await new Promise((r) => setTimeout(r, 10));
    const me = await call(t.app, 'GET', '/api/v1/me', { token: a.access_token });
    expect(me.statusCode, me.body).toBe(503);
    expect(me.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(me.data.code).toBe('unavailable');
    expect(me.headers['retry-after']).toBe('5');
    expect(me.body).not.toMatch(/ECONNREFUSED|Connection terminated|at \//);

    const submitted = await call(t.app, 'POST', '/api/v1/generations', { token: a.access_token, body: { type: 'upscale', source_asset_ids: [crypto.randomUUID()] }, headers: { 'idempotency-key': crypto.randomUUID() } });
    expect(submitted.statusCode).toBe(503);
    expect(submitted.data.code).toBe('unavailable');
    const login = await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: a.email, password: a.password } });
    expect(login.statusCode).toBe(503);
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);

    await proxy.restore();
    expect(await untilBack(() => call(t.app, 'GET', '/api/v1/me', { token: a.access_token }))).toBe(200);
    expect((await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: a.email, password: a.password } })).statusCode).toBe(200);
    expect(await untilBack(() => t.app.inject({ method: 'GET', url: '/readyz' }))).toBe(200);
    const [after] = await sqlRows<{ n: string }>(t, `select count(*) as n from generations`);
    expect(after!.n).toBe(before!.n);
  }, 60_000);

  it('survives the server ending a connection that a transaction holds between two statements', async () => {
    const killer = new pg.Client({ connectionString: t.database.connectionString });
    await killer.connect();
    try {
      const attempt = t.database.db.transaction(async (tx) => {
        const own = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as { rows: Array<{ pid: number }> };
        await killer.query('select pg_terminate_backend($1)', [own.rows[0]!.pid]);
        await new Promise((r) => setTimeout(r, 300)); // the server's goodbye arrives while no statement runs
        await tx.execute(sql`select 1`);
      });
      await expect(attempt).rejects.toSatisfy(isDependencyDown);
    } finally {
      await killer.end();
    }
    await t.database.ping(); // the pool goes on with a new connection
  });
});
