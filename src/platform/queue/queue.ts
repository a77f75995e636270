/**
 * Background jobs on pg-boss, in the same database as everything else. A job is sent inside the
 * transaction of the rows that need it (`send(def, data, { tx })`), so it exists exactly when they
 * do. Delivery is at least once: every handler must be idempotent.
 */
import { sql } from 'drizzle-orm';
import { PgBoss, fromDrizzle, fromPglite, type Job, type QueueOptions, type SendOptions } from 'pg-boss';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import type { DbOrTx } from '../db/types.ts';
import type { Logger } from '../logger.ts';
import { PreparedStatementClient } from './prepared-client.ts';

export interface JobContext {
  jobId: string;
  retryCount: number;
  /** Retries the job has in all (the queue's or the job's own retryLimit). */
  retryLimit: number;
  /** Aborted when the worker shuts down past its grace period or loses the job's claim. */
  signal: AbortSignal;
  log: Logger;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  /** Job payloads are a trust boundary too: parsed before the handler sees them. */
  schema: S;
  options?: Omit<QueueOptions, 'notify'>;
  /** How many jobs one fetch takes; a full batch makes the worker fetch again at once. */
  batchSize?: number;
  /** A cron expression: pg-boss sends one job per tick, once across all nodes. */
  cron?: string;
  /** Workers per process for this queue, each fetching on its own (long jobs run side by side). */
  localConcurrency?: number;
  /**
   * Active jobs per group (`send(…, { group: { id } })`) across all nodes: counted by pg-boss in
   * the database at fetch time on PostgreSQL; in memory on PGlite, where this process is the only
   * node (at most `localConcurrency` there).
   */
  groupConcurrency?: number;
}

/** The payload of a scheduled job: pg-boss sends `{}` on each tick. */
const ZScheduledPayload = z.object({}).passthrough();

/**
 * A job run on a cron schedule, once per tick across all nodes, one at a time, retried twice.
 * `expireInSeconds` bounds one run.
 */
export function scheduledJob(name: string, cron: string, expireInSeconds: number) {
  return { name, schema: ZScheduledPayload, cron, options: { retryLimit: 2, expireInSeconds }, batchSize: 1 } satisfies JobDefinition;
}

export interface JobHandler<S extends z.ZodType = z.ZodType> {
  definition: JobDefinition<S>;
  handle(data: z.infer<S>, ctx: JobContext): Promise<void>;
}

/**
 * A handler whose data is typed by its definition's schema (so a service that takes other data does
 * not compile), widened for the one list a worker runs.
 */
export const jobHandler = <S extends z.ZodType>(definition: JobDefinition<S>, handle: (data: z.infer<S>, ctx: JobContext) => Promise<void>): JobHandler =>
  ({ definition, handle }) as unknown as JobHandler;

export interface QueueSendOptions extends Omit<SendOptions, 'db'> {
  /** The open transaction the job belongs to; it is rolled back with it. */
  tx?: DbOrTx;
}

export interface Queue {
  /** Installs pg-boss's schema if needed and creates (and touches) every queue in `definitions`. */
  start(definitions: JobDefinition[]): Promise<void>;
  send<S extends z.ZodType>(def: JobDefinition<S>, data: z.input<S>, opts?: QueueSendOptions): Promise<string | null>;
  /** Starts workers for these handlers in this process. */
  work(handlers: JobHandler[]): Promise<void>;
  ping(): Promise<void>;
  /** Stops fetching, lets running jobs finish within `graceMs` (30 s by default), then fails them into retry and aborts them. */
  stop(opts?: { graceMs?: number }): Promise<void>;
  readonly boss: PgBoss;
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * What is stored is the schema's output (as JSON), so a value made at send time, such as a default
 * idempotency key, stays the same on every delivery. The worker parses it with the same schema, so
 * that output must parse back to itself: a transform that is not (`'a,b'` → `['a','b']`, `n` →
 * `n * 2`) would fail every delivery or hand the handler a twice-transformed payload. Such a schema
 * is refused here, at send time, where the sender's transaction can still roll back.
 */
export function storedPayload<S extends z.ZodType>(def: JobDefinition<S>, data: z.input<S>): object {
  const stored = JSON.parse(JSON.stringify(def.schema.parse(data) ?? null)) as unknown;
  const again = def.schema.safeParse(stored);
  if (!again.success || JSON.stringify(again.data) !== JSON.stringify(stored)) {
    throw new Error(
      `job ${def.name}: the schema's output does not parse back to itself, so the worker could not ` +
        'parse the stored payload the same way; use transforms whose output is also valid input',
    );
  }
  return stored as object;
}

export function createQueue(database: Database, log: Logger): Queue {
  const boss = new PgBoss({
    ...(database.kind === 'pglite'
      ? { db: fromPglite(database.pglite!), backend: 'pglite' as const }
      : // Prepared statements for pg-boss's own queries: about a millisecond less from send to start.
        { connectionString: database.connectionString!, max: 4, Client: PreparedStatementClient }),
    // Wakes workers on enqueue instead of waiting out a poll: ~4 ms instead of up to 2 s.
    useListenNotify: true,
    schema: 'pgboss',
  });
  boss.on('error', (err: Error) => log.error({ err }, 'queue error'));
  let started = false;
  const ready = new Set<string>();

  // PGlite lives inside this process, so no other node can run its jobs: pg-boss's in-memory group
  // count is the same limit as its database-side one, without the heavier fetch query (measured on
  // PGlite: enqueue-to-start p50 ~2.5 ms less).
  const groupLimit = (def: JobDefinition) =>
    !def.groupConcurrency
      ? {}
      : database.kind === 'pglite'
        ? { localGroupConcurrency: Math.min(def.groupConcurrency, def.localConcurrency ?? 1) }
        : { groupConcurrency: def.groupConcurrency };

  return {
    boss,
    async start(definitions) {
      if (!started) {
        await boss.start();
        started = true;
      }
      for (const def of definitions) {
        const existing = await boss.getQueue(def.name);
        if (!existing) await boss.createQueue(def.name, { ...def.options, notify: true });
        // pg-boss looks a queue up on its own connection the first time it is used and caches it; a
        // queue created after boss.start() is not in that cache yet. Looking it up here keeps that
        // look-up out of any later transaction: on PGlite's single connection, a send({ tx }) would
        // otherwise wait for its own transaction forever. findJobs goes through the cache (and
        // getQueueStats does not); the nil id matches no job.
        await boss.findJobs(def.name, { id: NIL_UUID });
        if (def.cron) await boss.schedule(def.name, def.cron, {});
        ready.add(def.name);
      }
    },
    async send(def, data, opts = {}) {
      const payload = storedPayload(def, data);
      const { tx, ...sendOpts } = opts;
      if (tx && !ready.has(def.name)) {
        // Not an edge case to tolerate: on PGlite the queue look-up would wait for `tx` forever.
        throw new Error(`queue ${def.name}: pass its definition to queue.start() before sending in a transaction`);
      }
      return boss.send(def.name, payload, tx ? { ...sendOpts, db: fromDrizzle(tx as never, sql as never) } : sendOpts);
    },
    async work(handlers) {
      for (const h of handlers) {
        const batchSize = h.definition.batchSize ?? 4;
        await boss.work(
          h.definition.name,
          {
            batchSize,
            burstWhenBatchFull: batchSize > 1,
            includeMetadata: true,
            ...(h.definition.localConcurrency ? { localConcurrency: h.definition.localConcurrency } : {}),
            ...groupLimit(h.definition),
            // NOTIFY wakes workers for new jobs only. A job failed into retry (or sent with a start
            // time) waits for the backstop poll, 30 s by default, whatever its retryDelay; pg-boss's
            // own interval without NOTIFY is 2 s.
            notifyPollingIntervalSeconds: 2,
          },
          async (jobs: Job<object>[]) => {
            // Each job of a batch settles on its own: a failed one goes to retry through fail(),
            // and pg-boss then completes only the jobs still active (the ones that succeeded).
            for (const job of jobs) {
              const jlog = log.child({ job: h.definition.name, jobId: job.id });
              try {
                const data = h.definition.schema.parse(job.data);
                const meta = job as Job<object> & { retryLimit?: number };
                await h.handle(data, { jobId: job.id, retryCount: meta.retryCount ?? 0, retryLimit: meta.retryLimit ?? 0, signal: job.signal, log: jlog });
              } catch (err) {
                jlog.warn({ err }, 'job failed');
                // The attempt, not just the id: after a shutdown has already failed this attempt into
                // retry, a late throw must not fail the next one.
                await boss.fail(h.definition.name, { id: job.id, retryCount: job.retryCount }, { message: err instanceof Error ? err.message : String(err) });
              }
            }
          },
        );
      }
    },
    async ping() {
      await boss.getQueues();
    },
    async stop(opts = {}) {
      if (started) await boss.stop({ graceful: true, timeout: opts.graceMs ?? 30_000 });
      started = false;
    },
  };
}
