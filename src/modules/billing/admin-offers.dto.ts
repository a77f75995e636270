/** Schemas of /admin/packages and /admin/plans. */
import { z } from 'zod';
import { ZPackage, ZPlan } from './offers.dto.ts';
import { billingPeriods, planAudiences } from './offers.tables.ts';

const ZCurrency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD');
const ZMinor = z.number().int().min(0).max(2_000_000_000);
const ZPriceIds = z.object({ stripe: z.string().max(200).optional(), zarinpal: z.string().max(200).optional() }).strict();

/** Without defaults: a patch must change only what it names. */
const packageFields = {
  description: z.string().max(1000).nullable(),
  credits: z.number().int().positive().max(10_000_000),
  amount_minor: ZMinor,
  currency: ZCurrency,
  is_featured: z.boolean(),
  is_active: z.boolean(),
  sort_order: z.number().int(),
  credits_valid_days: z.number().int().positive().nullable(),
  provider_price_ids: ZPriceIds,
};
export const ZCreatePackageBody = z
  .object({
    ...packageFields,
    name: z.string().trim().min(1).max(100),
    description: packageFields.description.default(null),
    is_featured: packageFields.is_featured.default(false),
    is_active: packageFields.is_active.default(true),
    sort_order: packageFields.sort_order.default(0),
    credits_valid_days: packageFields.credits_valid_days.default(null),
    provider_price_ids: packageFields.provider_price_ids.default({}),
  })
  .strict();
export type TCreatePackageBody = z.infer<typeof ZCreatePackageBody>;
export const ZPatchPackageBody = z.object(packageFields).partial().strict();
export type TPatchPackageBody = z.infer<typeof ZPatchPackageBody>;
export const ZAdminPackage = ZPackage.extend({ is_active: z.boolean(), sort_order: z.number().int(), provider_price_ids: z.record(z.string(), z.string()) });

const planFields = {
  display_name: z.string().trim().min(1).max(100),
  description: z.string().max(1000).nullable(),
  audience: z.enum(planAudiences),
  amount_minor: ZMinor,
  currency: ZCurrency,
  billing_period: z.enum(billingPeriods),
  credits_per_period: z.number().int().min(0),
  conversion_limit: z.number().int().min(0).nullable(),
  gallery_limit: z.number().int().min(0).nullable(),
  has_watermark: z.boolean(),
  retention_days: z.number().int().positive().nullable(),
  upload_retention_days: z.number().int().positive().nullable(),
  upload_storage_mb: z.number().int().positive().max(10_000_000).nullable(),
  uploads_per_hour: z.number().int().positive().max(1_000_000).nullable(),
  features: z.array(z.string().max(200)).max(50),
  provider_price_ids: ZPriceIds,
  is_active: z.boolean(),
  sort_order: z.number().int(),
};
export const ZCreatePlanBody = z
  .object({
    ...planFields,
    name: z.string().trim().regex(/^[a-z0-9_]{2,50}$/, 'a key of lower-case letters, digits and _'),
    description: planFields.description.default(null),
    credits_per_period: planFields.credits_per_period.default(0),
    conversion_limit: planFields.conversion_limit.default(null),
    gallery_limit: planFields.gallery_limit.default(null),
    has_watermark: planFields.has_watermark.default(false),
    retention_days: planFields.retention_days.default(null),
    upload_retention_days: planFields.upload_retention_days.default(null),
    upload_storage_mb: planFields.upload_storage_mb.default(1024),
    uploads_per_hour: planFields.uploads_per_hour.default(120),
    features: planFields.features.default([]),
    provider_price_ids: planFields.provider_price_ids.default({}),
    is_active: planFields.is_active.default(true),
    sort_order: planFields.sort_order.default(0),
  })
  .strict();
export type TCreatePlanBody = z.infer<typeof ZCreatePlanBody>;
export const ZPatchPlanBody = z.object(planFields).partial().strict();
export type TPatchPlanBody = z.infer<typeof ZPatchPlanBody>;
export const ZAdminPlan = ZPlan.extend({ is_active: z.boolean(), sort_order: z.number().int(), provider_price_ids: z.record(z.string(), z.string()) });
