/**
 * The generation engine's queue path against pg-boss alone, in the same run and on the same
 * database: enqueue-to-handler-start latency (p50/p99, one job at a time) and no-op jobs per second
 * (a burst of jobs spread over 50 users). The engine path is the real one minus the provider: the
 * `generation.run` options (retry limit, expiry, the user's group), the Queue wrapper's payload
 * checks, per-job settling, and pg-boss's group concurrency at fetch. pg-boss alone: a plain queue
 * with NOTIFY and the same number of local workers. Runs on PGlite, and on PostgreSQL too when
 * TEST_DATABASE_URL is set.
 *
 *   node bench/generation.ts      (also part of npm run bench)
 */
import fs from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { runJob } from '../src/modules/generation/index.ts';
import { openDatabase, type Database } from '../src/platform/db/database.ts';
import { createLogger } from '../src/platform/logger.ts';
import { createQueue, type JobDefinition, type JobHandler } from '../src/platform/queue/queue.ts';
import { createTestDatabase, prepareTemplates, TEMPLATE_DUMP, testDatabaseUrl } from '../test/helpers/databases.ts';

const LATENCY_JOBS = 200;
const BURST_JOBS = 2000;
const USERS = 50;
const WORKERS = 4;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

interface Result {
  p50: number;
  p99: number;
  perSec: number;
}

/** Latency and throughput of one path: `send(i)` enqueues job i; the handler calls `started(i)`. */
async function measure(send: (i: number, user: string) => Promise<unknown>, onStart: (cb: (i: number) => void) => void): Promise<Result> {
  const waiting = new Map<number, () => void>();
  onStart((i) => waiting.get(i)?.());
  const latencies: number[] = [];
  let seq = 0;
  for (let n = 0; n < LATENCY_JOBS + 20; n++) {
    const i = ++seq;
    const started = new Promise<void>((r) => waiting.set(i, r));
    const t0 = performance.now();
    await send(i, `00000000-0000-4000-8000-${String(n % USERS).padStart(12, '0')}`);
    await started;
    if (n >= 20) latencies.push(performance.now() - t0); // the first 20 warm up
    waiting.delete(i);
  }
  let done = 0;
  const all = new Promise<void>((r) => {
    onStart(() => {
      if (++done === BURST_JOBS) r();
    });
  });
  const t0 = performance.now();
  for (let n = 0; n < BURST_JOBS; n++) await send(++seq, `00000000-0000-4000-8000-${String(n % USERS).padStart(12, '0')}`);
  await all;
  return { p50: pct(latencies, 50), p99: pct(latencies, 99), perSec: BURST_JOBS / ((performance.now() - t0) / 1000) };
}

async function benchOn(database: Database): Promise<string[]> {
  const queue = createQueue(database, createLogger('silent'));
  const engineDef = { ...runJob, name: 'bench.generation' } satisfies JobDefinition;
  await queue.start([engineDef]);
  const boss = queue.boss;
  await boss.createQueue('bench.raw', { notify: true });
  try {
    // pg-boss alone.
    let rawStarted: (i: number) => void = () => {};
    await boss.work<{ i: number }>('bench.raw', { batchSize: 1, localConcurrency: WORKERS, notifyPollingIntervalSeconds: 2 }, async ([job]) => rawStarted(job!.data.i));
    const raw = await measure(
      (i) => boss.send('bench.raw', { i }),
      (cb) => (rawStarted = cb),
    );

    // The engine's path.
    let engineStarted: (i: number) => void = () => {};
    const handler: JobHandler<typeof runJob.schema> = {
      definition: { ...engineDef, localConcurrency: WORKERS, groupConcurrency: 2 },
      handle: async (data) => engineStarted(Number(data.generation_id.slice(-12))),
    };
    await queue.work([handler as JobHandler]);
    const engine = await measure(
      (i, user) =>
        queue.send(engineDef, { generation_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }, { retryLimit: 3, expireInSeconds: 360, group: { id: user } }),
      (cb) => (engineStarted = cb),
    );
    const ms = (x: number) => `${x.toFixed(2)} ms`;
    return [
      `  pg-boss alone:  p50 ${ms(raw.p50)}, p99 ${ms(raw.p99)}, ${raw.perSec.toFixed(0)} jobs/s`,
      `  engine path:    p50 ${ms(engine.p50)}, p99 ${ms(engine.p99)}, ${engine.perSec.toFixed(0)} jobs/s`,
      `  ratio:          p50 ${(engine.p50 / raw.p50).toFixed(2)}×, p99 ${(engine.p99 / raw.p99).toFixed(2)}×, throughput ${(engine.perSec / raw.perSec).toFixed(2)}×`,
    ];
  } finally {
    await queue.stop({ graceMs: 1000 });
  }
}

export async function generationQueueBench(): Promise<string[]> {
  const lines = ['', 'generation queue path vs pg-boss alone (enqueue → handler start; no-op jobs)'];
  const pglite = await openDatabase({ kind: 'pglite', loadDataDir: new Blob([await fs.readFile(TEMPLATE_DUMP)]) });
  try {
    lines.push('PGlite (in process):', ...(await benchOn(pglite)));
  } finally {
    await pglite.close();
  }
  if (testDatabaseUrl()) {
    const pg = await createTestDatabase();
    try {
      lines.push('PostgreSQL:', ...(await benchOn(pg)));
    } finally {
      await pg.close();
    }
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await prepareTemplates();
  process.stdout.write(`${(await generationQueueBench()).join('\n')}\n`);
  process.exit(0);
}
