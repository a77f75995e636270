/**
 * The hourly housekeeping job: deletes what has outlived its use (expired codes, ended sessions,
 * stored idempotent responses after a day, outbox messages after a week — those carrying a code
 * after an hour (decision 103) — system metrics snapshots
 * after 90 days — the admin's history charts read at most that far). Deleting is idempotent,
 * so a repeated or overlapping run is harmless.
 */
import { pruneAccounts } from './modules/accounts/index.ts';
import { pruneSystemMetrics } from './modules/admin/index.ts';
import type { Clock } from './platform/clock.ts';
import type { Db } from './platform/db/types.ts';
import { deleteKeysOlderThan } from './platform/http/idempotency.queries.ts';
import { deleteOutboxBefore } from './platform/mail/outbox.queries.ts';
import { scheduledJob, type JobHandler } from './platform/queue/queue.ts';

const DAY = 86_400_000;
const SYSTEM_METRICS_KEPT_DAYS = 90;
/** Outbox messages carrying a code (one-time or gift card) are kept this long, not a week. */
export const OUTBOX_CODES_KEPT_MS = 3_600_000;

export const pruneJob = scheduledJob('maintenance.prune', '17 * * * *', 600);

export async function prune(db: Db, now: Date) {
  return {
    ...(await pruneAccounts(db, now)),
    idempotency_keys: await deleteKeysOlderThan(db, new Date(now.getTime() - DAY)),
    outbox: await deleteOutboxBefore(db, new Date(now.getTime() - 7 * DAY), new Date(now.getTime() - OUTBOX_CODES_KEPT_MS)),
    system_metrics: await pruneSystemMetrics(db, new Date(now.getTime() - SYSTEM_METRICS_KEPT_DAYS * DAY)),
  };
}

export function pruneHandler(deps: { db: Db; clock: Clock }): JobHandler<typeof pruneJob.schema> {
  return {
    definition: pruneJob,
    async handle(_data, ctx) {
      const removed = await prune(deps.db, deps.clock.now());
      ctx.log.info({ removed }, 'maintenance: pruned');
    },
  };
}
