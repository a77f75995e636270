/** Schemas of the offers: credit packages and plans. */
import { z } from 'zod';
import { billingPeriods, planAudiences } from './offers.tables.ts';

export const ZPackage = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  credits: z.number().int(),
  amount_minor: z.number().int(),
  currency: z.string(),
  is_featured: z.boolean(),
  credits_valid_days: z.number().int().nullable(),
});
export type TPackage = z.infer<typeof ZPackage>;

export const ZPlan = z.object({
  id: z.uuid(),
  name: z.string(),
  display_name: z.string(),
  description: z.string().nullable(),
  audience: z.enum(planAudiences),
  amount_minor: z.number().int(),
  currency: z.string(),
  billing_period: z.enum(billingPeriods),
  credits_per_period: z.number().int(),
  conversion_limit: z.number().int().nullable(),
  gallery_limit: z.number().int().nullable(),
  has_watermark: z.boolean(),
  /** Days generated results are kept; null = until deleted. */
  retention_days: z.number().int().nullable(),
  /** Days uploaded images are kept; null = until deleted. */
  upload_retention_days: z.number().int().nullable(),
  /** MiB a user's own uploads (upload, training, avatar) may hold at once; null = no limit. */
  upload_storage_mb: z.number().int().nullable(),
  /** Uploads a user may make in an hour; null = no limit. */
  uploads_per_hour: z.number().int().nullable(),
  features: z.array(z.string()),
});
export type TPlan = z.infer<typeof ZPlan>;

/** The plan a user is on now (GET /me `plan`): a subscription's, or the free plan of their audience. */
export const ZEffectivePlan = ZPlan.pick({
  id: true,
  name: true,
  display_name: true,
  audience: true,
  has_watermark: true,
  conversion_limit: true,
  gallery_limit: true,
  retention_days: true,
  upload_retention_days: true,
  upload_storage_mb: true,
  uploads_per_hour: true,
  features: true,
}).extend({
  source: z.enum(['subscription', 'free']),
  current_period_end: z.string().nullable(),
  cancel_at_period_end: z.boolean(),
});
export type TEffectivePlan = z.infer<typeof ZEffectivePlan>;

export const ZPlansQuery = z.object({ audience: z.enum(planAudiences).optional() });
