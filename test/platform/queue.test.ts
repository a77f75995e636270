/**
 * The job queue: jobs written in the sender's transaction, delivery to workers, payload validation
 * on both sides, retries and failures, and batches where one job fails.
 * Real: pg-boss through createQueue() on the test database (PGlite by default, PostgreSQL with
 * TEST_DATABASE_URL), drizzle transactions, LISTEN/NOTIFY wake-ups. Stand-ins: the job definitions
 * and handlers exist only in this file (queue names made unique per run); a silent logger.
 * Waits poll with a bound and assert outcomes, never how fast they came.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Database } from '../../src/platform/db/database.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createQueue, type JobContext, type JobDefinition, type JobHandler, type Queue } from '../../src/platform/queue/queue.ts';
import { createTestDatabase } from '../helpers/databases.ts';

const run = randomBytes(4).toString('hex');
const qname = (tag: string) => `test_platform_${run}_${tag}`;

const ZPayload = z.object({ n: z.number().int(), tag: z.string().trim().toLowerCase().default('none') });

const defs = {
  tx: { name: qname('tx'), schema: ZPayload },
  delivered: { name: qname('delivered'), schema: ZPayload },
  invalid: { name: qname('invalid'), schema: ZPayload, options: { retryLimit: 0 } },
  retry: { name: qname('retry'), schema: ZPayload, options: { retryLimit: 2, retryDelay: 0 }, batchSize: 1 },
  dead: { name: qname('dead'), schema: ZPayload, options: { retryLimit: 1, retryDelay: 0 }, batchSize: 1 },
  batch: { name: qname('batch'), schema: ZPayload, options: { retryLimit: 0 }, batchSize: 4 },
  split: { name: qname('split'), schema: z.object({ tags: z.string().transform((s) => s.split(',')) }) },
  doubled: { name: qname('doubled'), schema: z.object({ n: z.number().transform((n) => n * 2) }) },
  stamped: { name: qname('stamped'), schema: z.object({ key: z.string().default(() => `k-${randomBytes(6).toString('hex')}`) }) },
} satisfies Record<string, JobDefinition>;

let database: Database;
let queue: Queue;

beforeAll(async () => {
  database = await createTestDatabase();
  queue = createQueue(database, createLogger('silent'));
  await queue.start(Object.values(defs));
});
afterAll(async () => {
  await queue?.stop();
  await database?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns something truthy, for at most `timeoutMs`. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(50);
  }
}

const jobOf = async (def: JobDefinition, id: string) => (await queue.boss.findJobs(def.name, { id }))[0];

/** Jobs of a queue as `db` sees them (on PGlite, never call it with database.db inside an open transaction). */
async function jobCount(def: JobDefinition, db: Pick<Database['db'], 'execute'> = database.db): Promise<number> {
  const res = (await db.execute(sql`select count(*)::int as n from pgboss.job where name = ${def.name}`)) as unknown as { rows: { n: number }[] };
  return Number(res.rows[0]?.n);
}

function recorder<S extends z.ZodType>(definition: JobDefinition<S>, behave: (data: z.infer<S>, ctx: JobContext) => Promise<void> | void = () => {}) {
  const seen: { data: z.infer<S>; ctx: JobContext }[] = [];
  const handler: JobHandler<S> = {
    definition,
    async handle(data, ctx) {
      seen.push({ data, ctx });
      await behave(data, ctx);
    },
  };
  return { seen, handler: handler as unknown as JobHandler };
}

describe('queue.send in a transaction', () => {
  it('leaves no job behind when the transaction rolls back', async () => {
    let id: string | null = null;
    await expect(
      database.db.transaction(async (tx) => {
        id = await queue.send(defs.tx, { n: 1 }, { tx });
        expect(id).toBeTruthy();
        expect(await jobCount(defs.tx, tx)).toBe(1); // the transaction sees its own job
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(id).toBeTruthy();
    expect(await jobOf(defs.tx, id!)).toBeUndefined();
    expect(await jobCount(defs.tx)).toBe(0);
  });

  it('leaves no job behind after an explicit tx.rollback()', async () => {
    await database.db
      .transaction(async (tx) => {
        await queue.send(defs.tx, { n: 2 }, { tx });
        tx.rollback();
      })
      .catch(() => undefined);
    expect(await jobCount(defs.tx)).toBe(0);
  });

  it('keeps the job when the transaction commits, together with the rows written beside it', async () => {
    await database.db.execute(sql.raw(`create table if not exists test_platform_${run}_rows (id int primary key)`));
    const id = await database.db.transaction(async (tx) => {
      await tx.execute(sql.raw(`insert into test_platform_${run}_rows values (1)`));
      return queue.send(defs.tx, { n: 3 }, { tx });
    });
    expect(await jobOf(defs.tx, id!)).toMatchObject({ id, state: 'created', data: { n: 3, tag: 'none' } });
    expect(await jobCount(defs.tx)).toBe(1);
  });

  it('refuses to send in a transaction to a queue that was not started (instead of hanging on PGlite)', async () => {
    const unknown = { name: qname('never_started'), schema: ZPayload };
    await expect(database.db.transaction((tx) => queue.send(unknown, { n: 1 }, { tx }))).rejects.toThrow(/queue\.start/);
  });

  it('refuses a payload that does not match the schema, before anything is written', async () => {
    await expect(queue.send(defs.tx, { n: 1.5 } as never)).rejects.toThrow();
    await expect(queue.send(defs.tx, { tag: 'x' } as never)).rejects.toThrow();
    expect(await jobCount(defs.tx)).toBe(1);
  });
});

describe('queue.work', () => {
  it('delivers a job from a committed transaction with its payload parsed by the schema', async () => {
    const { seen, handler } = recorder(defs.delivered);
    await queue.work([handler]);
    const id = await database.db.transaction((tx) => queue.send(defs.delivered, { n: 7, tag: '  HeLLo ' }, { tx }));
    await waitFor('delivery', () => seen.length > 0);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.data).toEqual({ n: 7, tag: 'hello' });
    expect(seen[0]!.ctx).toMatchObject({ jobId: id, retryCount: 0 });
    await waitFor('completion', async () => (await jobOf(defs.delivered, id!))?.state === 'completed');
  });

  it('fails a stored job whose payload does not match the schema, without calling the handler', async () => {
    const { seen, handler } = recorder(defs.invalid);
    await queue.work([handler]);
    // Written around queue.send (another version of the app, a hand-made row): the worker still checks.
    const bad = await queue.boss.send(defs.invalid.name, { n: 'seven' });
    const failed = await waitFor('the bad job to fail', async () => {
      const job = await jobOf(defs.invalid, bad!);
      return job?.state === 'failed' ? job : undefined;
    });
    expect(JSON.stringify(failed.output)).toMatch(/expected number|Invalid input/i);
    expect(seen).toHaveLength(0);
    // The worker carries on.
    const good = await queue.send(defs.invalid, { n: 8 });
    await waitFor('the next good job', () => seen.length === 1);
    expect(seen[0]!.data.n).toBe(8);
    await waitFor('completion', async () => (await jobOf(defs.invalid, good!))?.state === 'completed');
  });

  it('retries a job whose handler throws, until it succeeds', { timeout: 60_000 }, async () => {
    const { seen, handler } = recorder(defs.retry, (_data, ctx) => {
      if (ctx.retryCount < 2) throw new Error(`flaky, attempt ${ctx.retryCount}`);
    });
    await queue.work([handler]);
    const id = await queue.send(defs.retry, { n: 1 });
    const done = await waitFor('the retried job to complete', async () => {
      const job = await jobOf(defs.retry, id!);
      return job?.state === 'completed' ? job : undefined;
    }, 50_000);
    expect(seen.map((s) => s.ctx.retryCount)).toEqual([0, 1, 2]);
    expect(done.retryCount).toBe(2);
  });

  it('marks a job failed once its retries are used up, and the worker keeps going', { timeout: 60_000 }, async () => {
    const { seen, handler } = recorder(defs.dead, (data) => {
      if (data.n < 0) throw new Error('negative');
    });
    await queue.work([handler]);
    const bad = await queue.send(defs.dead, { n: -1 });
    const failed = await waitFor('the job to fail for good', async () => {
      const job = await jobOf(defs.dead, bad!);
      return job?.state === 'failed' ? job : undefined;
    }, 50_000);
    expect(seen.filter((s) => s.data.n === -1)).toHaveLength(2); // first try + 1 retry
    expect(JSON.stringify(failed.output)).toContain('negative');

    const good = await queue.send(defs.dead, { n: 1 });
    await waitFor('a later job to complete', async () => (await jobOf(defs.dead, good!))?.state === 'completed');
  });

  it('completes the rest of a batch when one of its jobs fails', async () => {
    const { seen, handler } = recorder(defs.batch, (data) => {
      if (data.n === 2) throw new Error('job two breaks');
    });
    // All four are waiting before the worker starts, so its first fetch takes them as one batch.
    const ids = await database.db.transaction(async (tx) => {
      const out: string[] = [];
      for (const n of [1, 2, 3, 4]) out.push((await queue.send(defs.batch, { n }, { tx }))!);
      return out;
    });
    await queue.work([handler]);
    const states = await waitFor('every job of the batch to settle', async () => {
      const s = await Promise.all(ids.map(async (id) => (await jobOf(defs.batch, id))?.state));
      return s.every((x) => x === 'completed' || x === 'failed') ? s : undefined;
    });
    expect(states).toEqual(['completed', 'failed', 'completed', 'completed']);
    expect(seen.map((s) => s.data.n).sort()).toEqual([1, 2, 3, 4]);
    expect(new Set(seen.map((s) => s.ctx.jobId)).size).toBe(4);
  });
});

describe('payloads whose schema transforms', () => {
  it('hands the handler the schema output of what was sent, not a twice-transformed one', async () => {
    const split = recorder(defs.split);
    const doubled = recorder(defs.doubled);
    await queue.work([split.handler, doubled.handler]);
    // Either the queue delivers the right value, or it refuses such a schema at send time: a
    // handler must never see a payload transformed twice (or fail on one that was valid when sent).
    const sent = await Promise.allSettled([queue.send(defs.split, { tags: 'a,b' }), queue.send(defs.doubled, { n: 2 })]);
    const cases = [
      { def: defs.split, seen: split.seen, want: { tags: ['a', 'b'] } },
      { def: defs.doubled, seen: doubled.seen, want: { n: 4 } },
    ];
    for (const [i, c] of cases.entries()) {
      const outcome = sent[i]!;
      if (outcome.status === 'fulfilled') {
        await waitFor(`${c.def.name} delivery`, () => c.seen.length > 0);
        expect(c.seen[0]!.data).toEqual(c.want);
      } else {
        expect(String(outcome.reason)).toMatch(/schema/i);
        expect(await jobCount(c.def)).toBe(0);
      }
    }
  });

  it('keeps a value made by a default at send time, on every delivery', async () => {
    const { seen, handler } = recorder(defs.stamped);
    await queue.work([handler]);
    const id = await queue.send(defs.stamped, {});
    const stored = (await jobOf(defs.stamped, id!))?.data as { key?: string };
    expect(stored.key).toMatch(/^k-/);
    await waitFor('delivery', () => seen.length > 0);
    expect(seen[0]!.data.key).toBe(stored.key);
  });
});

describe('queue.ping', () => {
  it('answers while pg-boss is up', async () => {
    await expect(queue.ping()).resolves.toBeUndefined();
  });
});
