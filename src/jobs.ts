/**
 * Every queue of every module. Each is created (and touched) when the runtime starts, before any
 * transaction could be the first to use it; a definition with `cron` is also scheduled.
 */
import { pruneHandler, pruneJob } from './maintenance.ts';
import { expireCreditsHandler, expireCreditsJob } from './modules/billing/index.ts';
import { generationJobDefinitions, generationJobHandlers, type GenerationContext } from './modules/generation/index.ts';
import { retentionHandler, retentionJob } from './modules/media/index.ts';
import type { Clock } from './platform/clock.ts';
import type { Db } from './platform/db/types.ts';
import type { JobDefinition, JobHandler } from './platform/queue/queue.ts';
import type { Storage } from './platform/storage/index.ts';

export const jobDefinitions: JobDefinition[] = [pruneJob, expireCreditsJob, retentionJob, ...generationJobDefinitions];

/** The handlers a worker process runs; the generation engine's when its context is given. */
export function jobHandlers(deps: { db: Db; clock: Clock; storage: Storage }, generation?: GenerationContext): JobHandler[] {
  return [
    pruneHandler(deps) as JobHandler,
    expireCreditsHandler(deps) as JobHandler,
    retentionHandler(deps) as JobHandler,
    ...(generation ? generationJobHandlers(generation) : []),
  ];
}
