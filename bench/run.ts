/**
 * Benchmarks, printed as ratios against a baseline measured in the same run (absolute numbers vary
 * by machine; ratios say whether a change made a path heavier). Runs on the embedded database.
 *
 *   npm run bench
 *
 * - baseline: GET /healthz through the full app (hooks, headers, metrics), no database.
 * - GET /me with a bearer token: JWT check + session lookup + user view.
 * - GET /me with an API key: key lookup + user view.
 * - ledger.apply: one credit change (conditional UPDATE + ledger row) in a transaction.
 * - ledger.spend with 1, 8 and 32 concurrent callers on one user (balance lock, lot consumption,
 *   ledger row), as a ratio to a bare conditional UPDATE of that balance row at the same
 *   concurrency; the books are checked to balance afterwards. On the embedded database (one
 *   connection) concurrent callers queue; with TEST_DATABASE_URL they run on PostgreSQL.
 * - media (bench/media.ts): uploads with thumbnails against sharp alone; RSS while uploading 25 MB.
 * - local provider (bench/local-provider.ts): upscale against sharp alone; background removal
 *   against @imgly/background-removal-node's own removeBackground, with both masks' IoU.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { checkCreditInvariants, createLedger } from '../src/modules/billing/index.ts';
import { call, createTestApp } from '../test/helpers/app.ts';
import { prepareTemplates } from '../test/helpers/databases.ts';
import { localProviderBench } from './local-provider.ts';
import { mediaBench } from './media.ts';

async function opsPerSec(name: string, fn: () => Promise<unknown>, seconds = 2): Promise<{ name: string; ops: number }> {
  for (let i = 0; i < 50; i++) await fn(); // warm-up
  let n = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    await fn();
    n++;
  }
  return { name, ops: n / seconds };
}

/** Operations per second of `callers` loops running `fn` at once for `seconds`. */
async function concurrentOpsPerSec(callers: number, fn: () => Promise<unknown>, seconds = 2): Promise<number> {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  let n = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < end) {
        await fn();
        n++;
      }
    }),
  );
  return n / seconds;
}

async function main(): Promise<void> {
  await prepareTemplates();
  const t = await createTestApp({ realClock: true });
  try {
    const reg = await call(t.app, 'POST', '/api/v1/auth/register', { body: { email: 'bench@example.com', password: 'password123' } });
    const token: string = reg.data.access_token;
    const key: string = (await call(t.app, 'POST', '/api/v1/me/api-keys', { token, body: { name: 'bench' } })).data.key;
    const ledger = createLedger({ clock: { now: () => new Date() } });
    let seq = 0;

    const baseline = await opsPerSec('GET /healthz (baseline)', () => t.app.inject({ method: 'GET', url: '/healthz' }));
    const results = [
      await opsPerSec('GET /me, bearer token', () => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })),
      await opsPerSec('GET /me, API key', () => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${key}` } })),
      await opsPerSec('ledger.apply (1 credit)', () =>
        t.database.db.transaction((tx) => ledger.apply(tx, { userId: reg.data.user.id, type: 'bonus', amount: 1, idempotencyKey: `bench:${++seq}` })),
      ),
    ];
    process.stdout.write(`\n${baseline.name}: ${baseline.ops.toFixed(0)} ops/s = 1.00\n`);
    for (const r of results) process.stdout.write(`${r.name}: ${r.ops.toFixed(0)} ops/s = ${(r.ops / baseline.ops).toFixed(2)} × baseline\n`);

    // Credit spends under concurrency against a bare conditional UPDATE of the same row.
    const userId: string = reg.data.user.id;
    await t.database.db.transaction((tx) => ledger.grant(tx, { userId, type: 'bonus', amount: 100_000_000, idempotencyKey: 'bench:stock' }));
    process.stdout.write('\n');
    for (const callers of [1, 8, 32]) {
      const bare = await concurrentOpsPerSec(callers, () =>
        t.database.db.execute(sql`update credit_balances set updated_at = now() where user_id = ${userId} and available >= 1`),
      );
      const spends = await concurrentOpsPerSec(callers, () =>
        t.database.db.transaction((tx) => ledger.spend(tx, { userId, amount: 1, idempotencyKey: `bench:spend:${++seq}` })),
      );
      process.stdout.write(
        `ledger.spend, ${callers} caller(s): ${spends.toFixed(0)} ops/s = ${(spends / bare).toFixed(2)} × bare conditional UPDATE (${bare.toFixed(0)} ops/s)\n`,
      );
    }
    const unbalanced = await checkCreditInvariants(t.database.db);
    process.stdout.write(unbalanced.length === 0 ? 'credit invariants: hold\n' : `credit invariants BROKEN: ${JSON.stringify(unbalanced)}\n`);
    if (unbalanced.length > 0) process.exitCode = 1;
    process.stdout.write(`\n${(await mediaBench(t, token)).join('\n')}\n`);
    process.stdout.write(`\n${(await localProviderBench()).join('\n')}\n`);
  } finally {
    await t.close();
  }
}

await main();
