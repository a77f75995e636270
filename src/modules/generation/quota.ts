/**
 * Plan quotas at submit, inside the submit's transaction and before anything is held: a plan's
 * conversions (`conversion_limit`, seed 003's style conversions) and a user plan's images
 * (`gallery_limit`, every output but a subject's training) per period. Over either, 403
 * `quota_exceeded` with `limit`, `used` and `resets_at`, and the transaction (with nothing in it
 * yet) rolls back. On the free plan, a preset's free quota makes those conversions cost no credits:
 * they are counted, not paid (style-studio's "2 free conversions").
 */
import type { Tx } from '../../platform/db/types.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { QuotaPlan } from '../billing/index.ts';
import { lockUserQuota, outputsInPeriod } from './generation.queries.ts';

export type QuotaPlanOf = (tx: Tx, userId: string) => Promise<QuotaPlan>;

/** The generation type that plans count as "conversions". */
export const CONVERSION_TYPE = 'style_conversion';

function exceeded(what: string, limit: number, used: number, resetsAt: Date): AppError {
  return new AppError('quota_exceeded', `Your plan allows ${limit} ${what} until ${resetsAt.toISOString().slice(0, 10)}; you have used ${used}. Upgrade to go on.`, {
    extensions: { limit, used, resets_at: resetsAt.toISOString() },
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
  const plan = await deps.quotaPlan(tx, userId);
  const counted = type === CONVERSION_TYPE && plan.conversionLimit !== null;
  const imagesCounted = plan.imageLimit !== null && type !== 'subject_training';
  if (!counted && !imagesCounted) return { free: false };

  await lockUserQuota(tx, userId);
  if (counted) {
    const used = await outputsInPeriod(tx, userId, plan.periodStart, plan.resetsAt, CONVERSION_TYPE);
    if (used + outputs > plan.conversionLimit!) throw exceeded('conversions', plan.conversionLimit!, used, plan.resetsAt);
  }
  if (imagesCounted) {
    const used = await outputsInPeriod(tx, userId, plan.periodStart, plan.resetsAt, 'images');
    if (used + outputs > plan.imageLimit!) throw exceeded('images', plan.imageLimit!, used, plan.resetsAt);
  }
  return { free: counted && plan.onFreePlan && deps.freeQuotaType === type };
}
