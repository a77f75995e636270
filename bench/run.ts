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
 * - media (bench/media.ts): uploads with thumbnails against sharp alone; RSS while uploading 25 MB.
 */
import { performance } from 'node:perf_hooks';
import { createLedger } from '../src/modules/billing/index.ts';
import { call, createTestApp } from '../test/helpers/app.ts';
import { prepareTemplates } from '../test/helpers/databases.ts';
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
    process.stdout.write(`\n${(await mediaBench(t, token)).join('\n')}\n`);
  } finally {
    await t.close();
  }
}

await main();
