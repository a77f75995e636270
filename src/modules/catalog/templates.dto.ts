import { z } from 'zod';
import { ZJsonValue } from '../../platform/http/schemas.ts';
import { styleKinds } from './catalog.tables.ts';

const ZJsonObject = z
  .record(z.string().min(1).max(100), ZJsonValue)
  .refine((v) => Buffer.byteLength(JSON.stringify(v)) <= 32 * 1024, { message: 'at most 32768 bytes of JSON' });
const ZSlug = z.string().regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'lower-case letters, digits, - and _').max(64);
const ZLabel = z.string().trim().min(1).max(100);
const ZBoolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ZTemplateListQuery = z.object({
  category: ZSlug.optional(),
  industry: ZLabel.optional(),
  style: ZLabel.optional(),
  campaign_type: ZLabel.optional(),
  featured: ZBoolQuery.optional(),
});
export type TTemplateListQuery = z.infer<typeof ZTemplateListQuery>;

export const ZTemplate = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  size: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  format: z.string().nullable(),
  industry: z.string().nullable(),
  style: z.string().nullable(),
  campaign_type: z.string().nullable(),
  layout: z.record(z.string(), z.unknown()),
  preview_asset_id: z.uuid().nullable(),
  preview_url: z.string().nullable(),
  categories: z.array(z.string()),
  is_featured: z.boolean(),
  is_active: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TTemplate = z.infer<typeof ZTemplate>;

const templateFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).nullable().optional(),
  size: z.string().max(50).nullable().optional(),
  width: z.number().int().min(1).max(10000).nullable().optional(),
  height: z.number().int().min(1).max(10000).nullable().optional(),
  format: z.string().max(20).nullable().optional(),
  industry: ZLabel.nullable().optional(),
  style: ZLabel.nullable().optional(),
  campaign_type: ZLabel.nullable().optional(),
  layout: ZJsonObject.optional(),
  preview_url: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional(),
  /** Category slugs; each must exist. */
  categories: z.array(ZSlug).max(20).optional(),
  is_featured: z.boolean().optional(),
  is_active: z.boolean().optional(),
};
export const ZCreateTemplateBody = z.strictObject(templateFields);
export type TCreateTemplateBody = z.infer<typeof ZCreateTemplateBody>;
export const ZPatchTemplateBody = z.strictObject({ ...templateFields, name: templateFields.name.optional() });
export type TPatchTemplateBody = z.infer<typeof ZPatchTemplateBody>;

export const ZCategory = z.object({ id: z.uuid(), name: z.string(), slug: z.string(), description: z.string().nullable(), sort_order: z.number().int() });
const categoryFields = { name: ZLabel, slug: ZSlug, description: z.string().max(2000).nullable().optional(), sort_order: z.number().int().min(-1000).max(1000).optional() };
export const ZCreateCategoryBody = z.strictObject(categoryFields);
export type TCreateCategoryBody = z.infer<typeof ZCreateCategoryBody>;
export const ZPatchCategoryBody = z.strictObject({ ...categoryFields, name: ZLabel.optional(), slug: ZSlug.optional() });
export type TPatchCategoryBody = z.infer<typeof ZPatchCategoryBody>;

const ZRate = z.number().min(0).max(1);
export const ZMetric = z.object({
  id: z.uuid(),
  template_id: z.uuid(),
  ctr: z.number().nullable(),
  conversion_rate: z.number().nullable(),
  impressions: z.number().int(),
  engagement_rate: z.number().nullable(),
  performance_data: z.record(z.string(), z.unknown()),
  recorded_at: z.string(),
});
export const ZCreateMetricBody = z.strictObject({
  ctr: ZRate.nullable().optional(),
  conversion_rate: ZRate.nullable().optional(),
  impressions: z.number().int().min(0).max(2_000_000_000).optional(),
  engagement_rate: ZRate.nullable().optional(),
  performance_data: ZJsonObject.optional(),
  recorded_at: z.iso.datetime({ offset: true }).optional(),
});
export type TCreateMetricBody = z.infer<typeof ZCreateMetricBody>;
/** A correction of a recorded measurement: the fields given change (`null` clears a rate). */
export const ZPatchMetricBody = ZCreateMetricBody.refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one field to change' });
export type TPatchMetricBody = z.infer<typeof ZPatchMetricBody>;
export const ZMetricParams = z.object({ id: z.uuid(), metric_id: z.uuid() });

export const ZStyleListQuery = z.object({ studio: ZSlug.optional(), kind: z.enum(styleKinds).optional() });
export const ZStyle = z.object({
  id: z.uuid(),
  key: z.string(),
  name: z.string(),
  kind: z.enum(styleKinds),
  studio: z.string(),
  prompt: z.string(),
  preview_url: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
  sort_order: z.number().int(),
  is_active: z.boolean(),
});
const styleFields = {
  key: ZSlug,
  name: ZLabel,
  kind: z.enum(styleKinds),
  studio: ZSlug,
  prompt: z.string().max(2000).optional(),
  preview_url: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional(),
  params: ZJsonObject.optional(),
  sort_order: z.number().int().min(-1000).max(1000).optional(),
  is_active: z.boolean().optional(),
};
export const ZCreateStyleBody = z.strictObject(styleFields);
export type TCreateStyleBody = z.infer<typeof ZCreateStyleBody>;
export const ZPatchStyleBody = z.strictObject({ ...styleFields, key: ZSlug.optional(), name: ZLabel.optional(), kind: z.enum(styleKinds).optional(), studio: ZSlug.optional() });
export type TPatchStyleBody = z.infer<typeof ZPatchStyleBody>;
