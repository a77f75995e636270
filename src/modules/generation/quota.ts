/**
 * Plan quotas at submit, inside the submit's transaction and before anything is held: seed 003's
 * "N conversions and M images" of a plan, per period — `conversion_limit` counts style conversions
 * (generations), a user plan's `gallery_limit` the images they make (outputs). Other studios are
 * metered by credits alone, so an `all` installation's free plan does not cap its product shots. Over either, 403
 * `quota_exceeded` with `limit`, `used` and `resets_at`, and the transaction (with nothing in it
 * yet) rolls back. On the free plan, a preset's free quota makes those conversions cost no credits:
 * they are counted, not paid (style-studio's "2 free conversions").
 */
import type { Tx } from '../../platform/db/types.ts';
import { errors, type AppError } from '../../platform/http/errors.ts';
import type { QuotaPlan } from '../billing/index.ts';
import { lockUserQuota, usedInPeriod } from './generation.queries.ts';

export type QuotaPlanOf = (tx: Tx, userId: string) => Promise<QuotaPlan>;

/** The generation type that plans count as "conversions". */
export const CONVERSION_TYPE = 'style_conversion';

function exceeded(what: string, limit: number, used: number, resetsAt: Date): AppError {
  return errors.quotaExceeded(`Your plan allows ${limit} ${what} until ${resetsAt.toISOString().slice(0, 10)}; you have used ${used}. Upgrade to go on.`, {
    limit,
    used,
    resets_at: resetsAt.toISOString(),
  });
}

/** Checks the quotas a generation of `type` × `outputs` falls under; says whether it is free. */
export async function checkQuota(
  tx: Tx,
  deps: { quotaPlan: QuotaPlanOf; freeQuotaType: string | null },
  userId: string,
  type: string,
  outputs: number,
): Promise<{ free: boolean }> {
  // Only conversions are counted: every other submit skips the plan lookup altogether.
  if (type !== CONVERSION_TYPE) return { free: false };
  const plan = await deps.quotaPlan(tx, userId);
  const counted = plan.conversionLimit !== null;
  if (!counted && plan.imageLimit === null) return { free: false };

  await lockUserQuota(tx, userId);
  const used = await usedInPeriod(tx, userId, plan.periodStart, plan.resetsAt, CONVERSION_TYPE);
  if (counted && used.generations + 1 > plan.conversionLimit!) throw exceeded('conversions', plan.conversionLimit!, used.generations, plan.resetsAt);
  if (plan.imageLimit !== null && used.outputs + outputs > plan.imageLimit) throw exceeded('images', plan.imageLimit, used.outputs, plan.resetsAt);
  return { free: counted && plan.onFreePlan && deps.freeQuotaType === type };
}
