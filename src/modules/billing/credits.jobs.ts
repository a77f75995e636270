/**
 * The expiry sweeper: writes off lots past their expiry (one `expiration` ledger row each) and ends
 * holds past theirs as `expired`. Each user is swept in a transaction of its own under the balance
 * lock, and what is already written off is not found again, so overlapping runs are harmless.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import { scheduledJob, type JobHandler } from '../../platform/queue/queue.ts';
import * as cq from './credits.queries.ts';
import { createLedger } from './ledger.ts';

const BATCH = 500;

export const expireCreditsJob = scheduledJob('billing.expire-credits', '*/5 * * * *', 600);

export async function sweepExpiredCredits(deps: { db: Db; clock: Clock }) {
  const ledger = createLedger({ clock: deps.clock });
  const now = deps.clock.now();
  let credits = 0;
  let holds = 0;
  for (const hold of await cq.holdsPastExpiry(deps.db, now, BATCH)) {
    const res = await deps.db.transaction((tx) => ledger.expireHold(tx, hold.id));
    if (res.applied) holds++;
  }
  for (const userId of await cq.usersWithDueLots(deps.db, now, BATCH)) {
    credits += await deps.db.transaction((tx) => ledger.expireLots(tx, userId));
  }
  return { credits, holds };
}

export function expireCreditsHandler(deps: { db: Db; clock: Clock }): JobHandler<typeof expireCreditsJob.schema> {
  return {
    definition: expireCreditsJob,
    async handle(_data, ctx) {
      const swept = await sweepExpiredCredits(deps);
      ctx.log.info(swept, 'billing: expired credits and holds');
    },
  };
}
