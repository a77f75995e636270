/**
 * Benchmarks, printed as ratios against a baseline measured in the same run (absolute numbers vary
 * by machine; ratios say whether a change made a path heavier). The app benchmarks run on the
 * embedded database, or on PostgreSQL when TEST_DATABASE_URL is set; the credit spend benchmark
 * runs on PGlite and, when TEST_DATABASE_URL is set, on PostgreSQL too.
 *
 *   npm run bench                       # everything, PGlite
 *   TEST_DATABASE_URL=postgres://… npm run bench
 *   npm run bench -- --ledger           # only the credit spend benchmark
 *   npm run bench -- --auth             # only the authentication benchmark
 *   npm run bench -- --analytics        # only the admin analytics benchmark
 *
 * - baseline: GET /healthz through the full app (hooks, headers, metrics), no database.
 * - auth (bench/auth.ts): GET /me with a bearer token and with an API key against GET /healthz, on
 *   PGlite and (with TEST_DATABASE_URL) PostgreSQL, in alternating slices.
 * - ledger.apply: one credit change (conditional UPDATE + ledger row) in a transaction.
 * - ledger.spend (bench/ledger.ts) with 1, 8 and 32 concurrent callers on one user, as a ratio to
 *   a bare conditional UPDATE of that balance row at the same concurrency, next to that UPDATE
 *   alone in a transaction (the ceiling for a spend in one); the books are checked to balance
 *   afterwards.
 * - media (bench/media.ts): uploads with thumbnails against sharp alone; RSS while uploading 25 MB.
 * - generation (bench/generation.ts): enqueue-to-start latency and no-op jobs/s through the
 *   engine's queue path against pg-boss alone, on PGlite and (with TEST_DATABASE_URL) PostgreSQL.
 * - local provider (bench/local-provider.ts): upscale against sharp alone; background removal
 *   against @imgly/background-removal-node's own removeBackground, with both masks' IoU; upscale
 *   quality (PSNR/SSIM on down-then-up photos) and speed of the learned model against Lanczos.
 * - faces (bench/faces.ts): the local face step on a portrait against the ISNet cut-out of it.
 * - cut-out (bench/cutout.ts): 20 held-out product photos with shadows, patterned and busy
 *   backgrounds, thin parts and holes; mean and worst mask IoU and time, local against the library.
 * - analytics (bench/analytics.ts): each admin analytics answer over 100k generations and 1M ledger
 *   rows against `select count(*)` of the table it sums, on PGlite and (with TEST_DATABASE_URL)
 *   PostgreSQL.
 */
import { createLedger } from '../src/modules/billing/index.ts';
import { analyticsBench } from './analytics.ts';
import { authBench } from './auth.ts';
import { cutoutBench } from './cutout.ts';
import { call, createTestApp } from '../test/helpers/app.ts';
import type { Database } from '../src/platform/db/database.ts';
import { createTestDatabase, prepareTemplates, testDatabaseUrl } from '../test/helpers/databases.ts';
import { facesBench } from './faces.ts';
import { generationQueueBench } from './generation.ts';
import { ledgerBench } from './ledger.ts';
import { opsPerSec } from './measure.ts';
import { localProviderBench, upscaleQualityBench } from './local-provider.ts';
import { mediaBench } from './media.ts';

/** The authentication benchmark on PGlite, then on PostgreSQL when TEST_DATABASE_URL is set. */
async function authOnEachDatabase(): Promise<void> {
  const postgres = testDatabaseUrl();
  for (const url of postgres ? [null, postgres] : [null]) process.stdout.write(`\n${(await authBench(url)).join('\n')}\n`);
  if (!postgres) process.stdout.write('(PostgreSQL skipped: set TEST_DATABASE_URL to measure it too)\n');
}

/** A benchmark on a fresh copy of the test template on PGlite, then on PostgreSQL when TEST_DATABASE_URL is set. */
async function onEachDatabase(bench: (database: Database) => Promise<{ lines: string[]; ok: boolean }>): Promise<void> {
  const postgres = testDatabaseUrl();
  for (const url of postgres ? [null, postgres] : [null]) {
    const database = await createTestDatabase(url);
    try {
      const { lines, ok } = await bench(database);
      process.stdout.write(`\n${lines.join('\n')}\n`);
      if (!ok) process.exitCode = 1;
    } finally {
      await database.close();
    }
  }
  if (!postgres) process.stdout.write('(PostgreSQL skipped: set TEST_DATABASE_URL to measure it too)\n');
}

async function main(): Promise<void> {
  await prepareTemplates();
  const only = (['ledger', 'auth', 'analytics', 'cutout'] as const).find((name) => process.argv.includes(`--${name}`));
  if (!only || only === 'ledger') await onEachDatabase(ledgerBench);
  if (!only || only === 'auth') await authOnEachDatabase();
  if (!only || only === 'analytics') await onEachDatabase(async (database) => ({ lines: await analyticsBench(database), ok: true }));
  if (!only || only === 'cutout') process.stdout.write(`\n${(await cutoutBench()).join('\n')}\n`);
  if (only) return;
  const t = await createTestApp({ realClock: true });
  try {
    const reg = await call(t.app, 'POST', '/api/v1/auth/register', { body: { email: 'bench@example.com', password: 'password123' } });
    const token: string = reg.data.access_token;
    const ledger = createLedger({ clock: { now: () => new Date() } });
    let seq = 0;

    const baseline = await opsPerSec('GET /healthz (baseline)', () => t.app.inject({ method: 'GET', url: '/healthz' }));
    const results = [
      await opsPerSec('ledger.apply (1 credit)', () =>
        t.database.db.transaction((tx) => ledger.apply(tx, { userId: reg.data.user.id, type: 'bonus', amount: 1, idempotencyKey: `bench:${++seq}` })),
      ),
    ];
    process.stdout.write(`\n${baseline.name}: ${baseline.ops.toFixed(0)} ops/s = 1.00\n`);
    for (const r of results) process.stdout.write(`${r.name}: ${r.ops.toFixed(0)} ops/s = ${(r.ops / baseline.ops).toFixed(2)} × baseline\n`);

    process.stdout.write(`\n${(await mediaBench(t, token)).join('\n')}\n`);
    process.stdout.write(`${(await generationQueueBench()).join('\n')}\n`);
    process.stdout.write(`\n${(await localProviderBench()).join('\n')}\n`);
    process.stdout.write(`${(await upscaleQualityBench()).join('\n')}\n`);
    process.stdout.write(`\n${(await facesBench()).join('\n')}\n`);
  } finally {
    await t.close();
  }
}

await main();
