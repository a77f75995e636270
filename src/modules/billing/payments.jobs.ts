/**
 * The pending payment expiry job: a payment still `pending` after the configured age
 * (ATELIER_PAYMENT_PENDING_TTL) becomes `expired` through `failPending`, which grants nothing
 * and gives back the coupon use its checkout took. Each payment ends in its own transaction with a
 * conditional update, so a completion racing the job wins or loses cleanly and reruns change nothing.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import { scheduledJob, type JobHandler } from '../../platform/queue/queue.ts';
import { failPending } from './fulfilment.ts';
import * as q from './payments.queries.ts';

const BATCH = 200;
/** Batches per run at most; what is left waits for the next run. */
const MAX_BATCHES = 50;

/**
 * A Stripe checkout can be paid up to its session's end (24 h at most) and Stripe retries a webhook
 * for up to three days; expiring such a payment earlier could refuse money already taken. Stripe
 * tells us of an unpaid session itself (`checkout.session.expired`), so this job only tidies up
 * Stripe payments whose events never came, after every retry would have arrived.
 */
export const STRIPE_PENDING_FLOOR_SEC = 4 * 86_400;

export const expirePaymentsJob = scheduledJob('billing.expire-payments', '*/10 * * * *', 600);

export interface ExpirePaymentsDeps {
  db: Db;
  clock: Clock;
  /** How long a payment may stay pending, in seconds. */
  pendingTtlSec: number;
}

export async function expireStalePayments(deps: ExpirePaymentsDeps): Promise<number> {
  let expired = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const now = deps.clock.now().getTime();
    const before = new Date(now - deps.pendingTtlSec * 1000);
    const stripeBefore = new Date(now - Math.max(deps.pendingTtlSec, STRIPE_PENDING_FLOOR_SEC) * 1000);
    const ids = await q.findStalePendingPayments(deps.db, before, BATCH, stripeBefore);
    for (const id of ids) {
      const ended = await deps.db.transaction((tx) => failPending(tx, deps.clock.now(), id, 'expired', `not completed within ${deps.pendingTtlSec} s`));
      if (ended) expired++;
    }
    if (ids.length < BATCH) break;
  }
  return expired;
}

export function expirePaymentsHandler(deps: ExpirePaymentsDeps): JobHandler<typeof expirePaymentsJob.schema> {
  return {
    definition: expirePaymentsJob,
    async handle(_data, ctx) {
      ctx.log.info({ expired: await expireStalePayments(deps) }, 'billing: expired pending payments');
    },
  };
}
