/** Schemas of the generation admin endpoints. */
import { z } from 'zod';
import { ZListQuery } from '../../platform/http/pagination.ts';
import { ZGeneration, ZGenerationType } from './generation.dto.ts';
import { generationStatuses } from './generation.tables.ts';
import { providerIds } from './providers/provider.ts';

export const ZIdParams = z.object({ id: z.uuid() });

export const ZAdminGeneration = ZGeneration.extend({ user_id: z.uuid(), error_code: z.string().nullable(), api_cost_micros: z.number().int() });

export const ZAdminGenerationQuery = ZListQuery.extend({
  user_id: z.uuid().optional(),
  status: z.enum(generationStatuses).optional(),
  type: ZGenerationType.optional(),
  provider: z.enum(providerIds).optional(),
  product_id: z.uuid().optional(),
  batch_id: z.uuid().optional(),
});
export type TAdminGenerationQuery = z.infer<typeof ZAdminGenerationQuery>;

export const ZPrice = z.object({
  id: z.uuid(),
  type: ZGenerationType,
  credits_per_output: z.number().int(),
  is_active: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const ZCreatePriceBody = z
  .object({ type: ZGenerationType, credits_per_output: z.number().int().min(0).max(100_000), is_active: z.boolean().default(true) })
  .strict();
export type TCreatePriceBody = z.infer<typeof ZCreatePriceBody>;

export const ZPatchPriceBody = z
  .object({ credits_per_output: z.number().int().min(0).max(100_000).optional(), is_active: z.boolean().optional() })
  .strict();
export type TPatchPriceBody = z.infer<typeof ZPatchPriceBody>;

const ZDay = z.iso.date();

export const ZApiCost = z.object({
  id: z.uuid(),
  provider: z.string(),
  operation_type: z.string(),
  model: z.string().nullable(),
  cost_per_operation_micros: z.number().int(),
  currency: z.string(),
  effective_date: z.string(),
  is_active: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const ZCreateApiCostBody = z
  .object({
    provider: z.enum(providerIds),
    operation_type: z.union([ZGenerationType, z.literal('*')]),
    model: z.string().min(1).max(200).nullable().default(null),
    cost_per_operation_micros: z.number().int().min(0).max(1_000_000_000),
    currency: z.string().regex(/^[A-Z]{3}$/).default('USD'),
    effective_date: ZDay,
    is_active: z.boolean().default(true),
  })
  .strict();
export type TCreateApiCostBody = z.infer<typeof ZCreateApiCostBody>;

export const ZPatchApiCostBody = z
  .object({
    model: z.string().min(1).max(200).nullable().optional(),
    cost_per_operation_micros: z.number().int().min(0).max(1_000_000_000).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/).optional(),
    effective_date: ZDay.optional(),
    is_active: z.boolean().optional(),
  })
  .strict();
export type TPatchApiCostBody = z.infer<typeof ZPatchApiCostBody>;
