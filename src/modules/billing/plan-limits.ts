/**
 * The effective plan of a user, and the limits other modules read from it. A subscription counts
 * while it is in force (see subscriptionInForce); otherwise the user is on the free plan of their
 * audience: `vendor_free` for vendors, `free` for everyone else. Other modules get these functions
 * handed in by the composition root (src/compose.ts), so they need not import billing.
 */
import type { Clock } from '../../platform/clock.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import { isVendor, type AccountWithCredits } from '../accounts/index.ts';
import { findUserWithCreditsAndPlans } from './account-view.queries.ts';
import * as cat from './offers.queries.ts';
import type { TEffectivePlan } from './offers.dto.ts';
import * as q from './payments.queries.ts';

export interface EffectivePlan {
  /** Null only if the free plan rows were removed from the database by hand. */
  plan: cat.PlanRow | null;
  /** The subscription that gives the plan; null on a free plan. */
  subscription: q.SubscriptionRow | null;
}

/**
 * Whether a subscription still gives its plan at `now`. An `active` one does until its period ends,
 * even before the expiry job has marked it; a Stripe one that is not being cancelled keeps going
 * past the end, because Stripe renews it and its webhooks move it (a paid invoice extends the
 * period, a lapse ends it). A plan without a billing period has no end.
 */
export function subscriptionInForce(sub: q.SubscriptionRow, now: Date): boolean {
  if (sub.status !== 'active') return false;
  if (sub.currentPeriodEnd === null || sub.currentPeriodEnd > now) return true;
  return sub.provider === 'stripe' && !sub.cancelAtPeriodEnd;
}

/** effectivePlan's choice, from rows already read (the subscription's plan and the audience's free plan). */
function choosePlan(sub: q.SubscriptionRow | null, subPlan: cat.PlanRow | null, freePlan: cat.PlanRow | null, now: Date): EffectivePlan {
  if (sub && subPlan && subscriptionInForce(sub, now)) return { plan: subPlan, subscription: sub };
  return { plan: freePlan, subscription: null };
}

export async function effectivePlan(db: DbOrTx, userId: string, now: Date): Promise<EffectivePlan> {
  const sub = await q.findSubscription(db, userId);
  if (sub && subscriptionInForce(sub, now)) {
    const plan = await cat.findPlan(db, sub.planId);
    if (plan) return { plan, subscription: sub };
  }
  const freePlan = (await isVendor(db, userId)) ? 'vendor_free' : 'free';
  return { plan: (await cat.findPlanByName(db, freePlan)) ?? null, subscription: null };
}

export function effectivePlanView({ plan, subscription }: EffectivePlan): TEffectivePlan | null {
  if (!plan) return null;
  return {
    id: plan.id,
    name: plan.name,
    display_name: plan.displayName,
    audience: plan.audience,
    has_watermark: plan.hasWatermark,
    conversion_limit: plan.conversionLimit,
    gallery_limit: plan.galleryLimit,
    retention_days: plan.retentionDays,
    upload_retention_days: plan.uploadRetentionDays,
    upload_storage_mb: plan.uploadStorageMb,
    uploads_per_hour: plan.uploadsPerHour,
    features: plan.features,
    source: subscription ? 'subscription' : 'free',
    current_period_end: subscription?.currentPeriodEnd?.toISOString() ?? null,
    cancel_at_period_end: subscription?.cancelAtPeriodEnd ?? false,
  };
}

/**
 * What a user's plan allows per period, for the engine to count against (generation/quota.ts). The
 * period is the subscription's; on a plan without one it is the calendar month (UTC), so seed 003's
 * "2 conversions and 5 images" come back each month.
 */
export interface QuotaPlan {
  /** Style conversions a period (plans.conversion_limit); null = no limit. */
  conversionLimit: number | null;
  /** Images a period for a user plan (plans.gallery_limit; a vendor plan's is its album quota); null = no limit. */
  imageLimit: number | null;
  periodStart: Date;
  resetsAt: Date;
  /** On the free plan of the audience, not a subscription: where a preset's free quota applies. */
  onFreePlan: boolean;
}

function calendarMonth(now: Date): { start: Date; end: Date } {
  return { start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), end: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)) };
}

export function quotaPlanOf({ plan, subscription }: EffectivePlan, now: Date): QuotaPlan {
  const own = subscription && subscription.currentPeriodEnd && subscription.currentPeriodEnd > now ? { start: subscription.currentPeriodStart, end: subscription.currentPeriodEnd } : null;
  const period = own ?? calendarMonth(now);
  return {
    conversionLimit: plan?.conversionLimit ?? null,
    imageLimit: plan?.audience === 'user' ? plan.galleryLimit : null,
    periodStart: period.start,
    resetsAt: period.end,
    onFreePlan: subscription === null,
  };
}

type AssetKind = 'upload' | 'result' | 'training' | 'template' | 'avatar';
const MIB = 1024 * 1024;

/**
 * Limits by effective plan, in the shape media asks for them. Uploads follow
 * `upload_retention_days`, generated results `retention_days`; training images and avatars are kept
 * while something uses them (media's sweeper asks, decision 110), templates for good. No plan at all
 * means no limit.
 */
export function createPlanLimits(deps: { db: DbOrTx; clock: Clock }) {
  const current = (userId: string) => effectivePlan(deps.db, userId, deps.clock.now());
  return {
    effectivePlan: current,
    async view(userId: string): Promise<TEffectivePlan | null> {
      return effectivePlanView(await current(userId));
    },
    /** The user with balance and plan as GET /me shows them, in one query; undefined if no such user. */
    async accountOf(userId: string): Promise<AccountWithCredits | undefined> {
      const row = await findUserWithCreditsAndPlans(deps.db, userId);
      if (!row) return undefined;
      return {
        user: row.user,
        credits: { available: row.balance?.available ?? 0, held: row.balance?.held ?? 0 },
        plan: effectivePlanView(choosePlan(row.subscription, row.subscriptionPlan, row.freePlan, deps.clock.now())),
      };
    },
    /** What the user's plan lets them upload: retention, bytes held at once, uploads an hour (decision 110). */
    async uploads(userId: string): Promise<{ retentionDays: number | null; storageBytes: number | null; perHour: number | null }> {
      const { plan } = await current(userId);
      if (!plan) return { retentionDays: null, storageBytes: null, perHour: null };
      return { retentionDays: plan.uploadRetentionDays, storageBytes: plan.uploadStorageMb === null ? null : plan.uploadStorageMb * MIB, perHour: plan.uploadsPerHour };
    },
    async retentionDays(userId: string, kind: AssetKind): Promise<number | null> {
      if (kind !== 'upload' && kind !== 'result') return null;
      const { plan } = await current(userId);
      if (!plan) return null;
      return kind === 'upload' ? plan.uploadRetentionDays : plan.retentionDays;
    },
    /** Read inside the caller's transaction: on PGlite a read beside it would wait for it to end. */
    async quotaPlan(tx: DbOrTx, userId: string): Promise<QuotaPlan> {
      const now = deps.clock.now();
      return quotaPlanOf(await effectivePlan(tx, userId, now), now);
    },
    /** Whether the user's generated images carry a watermark (Free and Vendor Free do). */
    async hasWatermark(userId: string): Promise<boolean> {
      const { plan } = await current(userId);
      return plan?.hasWatermark ?? false;
    },
    /**
     * The album quota is a vendor plan's: a user plan's `gallery_limit` is seed 003's monthly image
     * allowance of users ("5 images" on Free), a generation limit, not a cap on albums.
     */
    async galleryImages(userId: string): Promise<number | null> {
      const { plan } = await current(userId);
      return plan?.audience === 'vendor' ? plan.galleryLimit : null;
    },
  };
}

export type PlanLimits = ReturnType<typeof createPlanLimits>;
