/**
 * The subscription expiry job: a subscription whose period is over and that nothing renews becomes
 * `expired` (zarinpal and manual: a purchase covers one period, renewing is a new payment), and one
 * asked to cancel at the period's end becomes `cancelled` (any provider). Stripe's other
 * subscriptions are moved by Stripe's webhooks. Each batch ends its rows and writes their history in
 * one transaction; what is ended is not found again, so repeated or overlapping runs are harmless.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import { scheduledJob, type JobHandler } from '../../platform/queue/queue.ts';
import * as q from './payments.queries.ts';

const BATCH = 200;
/** Batches per run at most; what is left waits for the next run. */
const MAX_BATCHES = 50;

export const expireSubscriptionsJob = scheduledJob('billing.expire-subscriptions', '*/10 * * * *', 600);

export async function sweepEndedSubscriptions(deps: { db: Db; clock: Clock }): Promise<{ expired: number; cancelled: number }> {
  const counts = { expired: 0, cancelled: 0 };
  for (let i = 0; i < MAX_BATCHES; i++) {
    const now = deps.clock.now();
    const ended = await deps.db.transaction(async (tx) => {
      const rows = await q.endDueSubscriptions(tx, now, BATCH);
      for (const sub of rows) {
        await q.insertHistory(tx, {
          subscriptionId: sub.id,
          userId: sub.userId,
          event: sub.status,
          planId: sub.planId,
          paymentId: sub.lastPaymentId,
          periodStart: sub.currentPeriodStart,
          periodEnd: sub.currentPeriodEnd,
          createdAt: now,
        });
      }
      return rows;
    });
    for (const sub of ended) if (sub.status === 'expired' || sub.status === 'cancelled') counts[sub.status]++;
    if (ended.length < BATCH) break;
  }
  return counts;
}

export function expireSubscriptionsHandler(deps: { db: Db; clock: Clock }): JobHandler<typeof expireSubscriptionsJob.schema> {
  return {
    definition: expireSubscriptionsJob,
    async handle(_data, ctx) {
      ctx.log.info(await sweepEndedSubscriptions(deps), 'billing: ended subscriptions');
    },
  };
}
