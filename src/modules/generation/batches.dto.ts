/** POST /generation-batches and the batch read back (seed 002: many headshots of one subject). */
import { z } from 'zod';
import { ZHeadshotParams } from './params.ts';

const key = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, _ and - (at most 64)');

export const ZCreateBatchBody = z
  .object({
    subject_id: z.uuid(),
    reference_asset_ids: z.array(z.uuid()).min(1).max(10).optional(),
    style_keys: z.array(key).min(1).max(10).optional(),
    images_per_reference: z.number().int().min(1).max(8).default(4),
    params: ZHeadshotParams.omit({ reference_asset_id: true }).optional(),
  })
  .strict()
  .refine((b) => (b.reference_asset_ids === undefined) !== (b.style_keys === undefined), {
    message: 'give reference_asset_ids or style_keys (one of them)',
    path: ['reference_asset_ids'],
  });
export type TCreateBatchBody = z.infer<typeof ZCreateBatchBody>;

export const batchStatuses = ['pending', 'processing', 'completed', 'partial', 'failed'] as const;

export const ZBatchCreated = z.object({
  id: z.uuid(),
  status: z.enum(batchStatuses),
  generation_ids: z.array(z.uuid()),
  credits_reserved: z.number().int(),
});

const ZCounts = z.object({ pending: z.number().int(), processing: z.number().int(), completed: z.number().int(), failed: z.number().int(), cancelled: z.number().int() });

export const ZBatch = ZBatchCreated.extend({
  type: z.string(),
  subject_id: z.uuid().nullable(),
  params: z.record(z.string(), z.unknown()),
  images_per_reference: z.number().int(),
  total_generations: z.number().int(),
  total_images: z.number().int(),
  counts: ZCounts,
  credits_used: z.number().int(),
  outputs: z.number().int(),
  created_at: z.string(),
  completed_at: z.string().nullable(),
});
export type TBatch = z.infer<typeof ZBatch>;

export const ZBatchIdParams = z.object({ id: z.uuid() });
