/**
 * Every queue of every module. Each is created (and touched) when the runtime starts, before any
 * transaction could be the first to use it; a definition with `cron` is also scheduled.
 */
import type { Config } from './config.ts';
import { pruneHandler, pruneJob } from './maintenance.ts';
import * as billing from './modules/billing/index.ts';
import { generationJobDefinitions, generationJobHandlers, type GenerationContext } from './modules/generation/index.ts';
import { retentionHandler, retentionJob } from './modules/media/index.ts';
import { privacyHandlers, privacyJobs, type PrivacyDeps } from './modules/privacy/index.ts';
import type { Clock } from './platform/clock.ts';
import type { Db } from './platform/db/types.ts';
import type { JobDefinition, JobHandler } from './platform/queue/queue.ts';
import type { Storage } from './platform/storage/index.ts';

export const jobDefinitions: JobDefinition[] = [
  pruneJob,
  billing.expireCreditsJob,
  billing.expireSubscriptionsJob,
  billing.expirePaymentsJob,
  retentionJob,
  ...privacyJobs,
  ...generationJobDefinitions,
];

/** The handlers a worker process runs; the generation engine's when its context is given. */
export function jobHandlers(deps: { db: Db; clock: Clock; storage: Storage; config: Pick<Config, 'payments'> } & PrivacyDeps, generation?: GenerationContext): JobHandler[] {
  return [
    pruneHandler(deps) as JobHandler,
    billing.expireCreditsHandler(deps) as JobHandler,
    billing.expireSubscriptionsHandler(deps) as JobHandler,
    billing.expirePaymentsHandler({ ...deps, pendingTtlSec: deps.config.payments.pendingTtlSec }) as JobHandler,
    // Media's retention follows the owner's plan, which billing knows.
    retentionHandler({ ...deps, limits: billing.createPlanLimits(deps) }) as JobHandler,
    ...privacyHandlers(deps),
    ...(generation ? generationJobHandlers(generation) : []),
  ];
}
