/**
 * The generation queues. `generation.run` carries one generation; each job is sent in the
 * transaction that holds the credits, in the user's pg-boss group, so pg-boss itself keeps at most
 * ATELIER_GENERATION_CONCURRENCY_PER_USER of a user's jobs active across all workers
 * (`groupConcurrency`: counted in the database at fetch time on PostgreSQL, in memory on PGlite,
 * whose one process is the only worker). Retries with exponential backoff are
 * pg-boss's; the handler asks for one only for a retryable provider error.
 */
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import { scheduledJob, type JobDefinition, type JobHandler, type Queue } from '../../platform/queue/queue.ts';
import type { GenerationContext } from './context.ts';
import { reconcileOverdue } from './reconcile.ts';
import { createRunner } from './run.ts';
import { webhookHandler, webhookJob } from './webhooks.ts';

/** How long past its deadline a pg-boss job may stay active (a dead worker's job is retried then). */
const EXPIRY_MARGIN_SEC = 60;

export const runJob = {
  name: 'generation.run',
  schema: z.object({ generation_id: z.uuid() }),
  // ~2 s, 4 s, 8 s … between attempts, at most a minute; the limit itself comes with each job.
  options: { retryLimit: 3, retryDelay: 2, retryBackoff: true, retryDelayMax: 60, expireInSeconds: 3600 },
  // One job per fetch and several fetchers: a long run never holds back the jobs behind it.
  batchSize: 1,
} satisfies JobDefinition;

export const reconcileJob = scheduledJob('generation.reconcile', '* * * * *', 120);

export const generationJobDefinitions: JobDefinition[] = [runJob, reconcileJob, webhookJob];

/** Sends the run job of a generation inside `tx`. */
export function sendRunJob(
  queue: Queue,
  tx: DbOrTx,
  g: { id: string; userId: string; deadlineSec: number },
  config: Pick<Config['generation'], 'retries'>,
): Promise<string | null> {
  return queue.send(
    runJob,
    { generation_id: g.id },
    { tx, retryLimit: config.retries, expireInSeconds: g.deadlineSec + EXPIRY_MARGIN_SEC, group: { id: g.userId } },
  );
}

export function generationJobHandlers(ctx: GenerationContext): JobHandler[] {
  const runner = createRunner(ctx);
  const run: JobHandler<typeof runJob.schema> = {
    definition: { ...runJob, localConcurrency: ctx.config.generation.workers, groupConcurrency: ctx.config.generation.concurrencyPerUser },
    handle: (data, jobCtx) => runner.run(data.generation_id, jobCtx),
  };
  const reconcile: JobHandler<typeof reconcileJob.schema> = {
    definition: reconcileJob,
    async handle(_data, jobCtx) {
      const n = await reconcileOverdue(ctx);
      if (n > 0) jobCtx.log.warn({ failed: n }, 'generation: failed and released generations past their deadline');
    },
  };
  return [run as JobHandler, reconcile as JobHandler, webhookHandler({ db: ctx.db, clock: ctx.clock, policy: ctx.config.webhooks }) as JobHandler];
}
