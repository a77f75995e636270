import { z } from 'zod';
import { ZIdempotencyHeaders } from '../../platform/http/idempotency.ts';
import { ZListQuery } from '../../platform/http/pagination.ts';
import { ZAsset } from '../media/index.ts';
import { generationStatuses, webhookEventTypes } from './generation.tables.ts';
import { generationTypes, providerIds } from './providers/provider.ts';

export const ZGenerationType = z.enum(generationTypes);

export const ZCreateGenerationBody = z
  .object({
    type: ZGenerationType,
    product_id: z.uuid().optional(),
    subject_id: z.uuid().optional(),
    template_id: z.uuid().optional(),
    source_asset_ids: z.array(z.uuid()).max(8).optional(),
    style: z.string().min(1).max(64).optional(),
    /** `style_conversion`: one of the caller's images or a vendor's public gallery image, as the look to transfer. */
    reference_asset_id: z.uuid().optional(),
    prompt: z.string().min(1).max(4000).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    num_outputs: z.number().int().min(1).max(8).default(1),
    provider: z.enum(providerIds).optional(),
    webhook_url: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional(),
    webhook_events: z.array(z.enum(webhookEventTypes)).min(1).optional(),
  })
  .strict();
export type TCreateGenerationBody = z.infer<typeof ZCreateGenerationBody>;

export const ZGenerationError = z.object({ code: z.string(), message: z.string() });

export const ZGeneration = z.object({
  id: z.uuid(),
  type: ZGenerationType,
  studio: z.string(),
  status: z.enum(generationStatuses),
  prompt: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
  num_outputs: z.number().int(),
  provider: z.string(),
  model: z.string().nullable(),
  credits_reserved: z.number().int(),
  credits_used: z.number().int(),
  outputs: z.array(ZAsset),
  error: ZGenerationError.nullable(),
  queue_position: z.number().int().nullable(),
  batch_id: z.uuid().nullable(),
  product_id: z.uuid().nullable(),
  subject_id: z.uuid().nullable(),
  template_id: z.uuid().nullable(),
  style: z.string().nullable(),
  source_asset_ids: z.array(z.uuid()),
  attempts: z.number().int(),
  webhook_url: z.string().nullable(),
  webhook_events: z.array(z.string()),
  deadline_at: z.string(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  generation_duration_ms: z.number().int().nullable(),
  is_favorited: z.boolean(),
  user_rating: z.number().int().nullable(),
  user_notes: z.string().nullable(),
});
export type TGeneration = z.infer<typeof ZGeneration>;

export const ZGenerationListQuery = ZListQuery.extend({
  status: z.enum(generationStatuses).optional(),
  type: ZGenerationType.optional(),
  product_id: z.uuid().optional(),
  batch_id: z.uuid().optional(),
});
export type TGenerationListQuery = z.infer<typeof ZGenerationListQuery>;

export const ZPatchGenerationBody = z
  .object({
    is_favorited: z.boolean().optional(),
    user_rating: z.number().int().min(1).max(5).nullable().optional(),
    user_notes: z.string().max(2000).nullable().optional(),
  })
  .strict();
export type TPatchGenerationBody = z.infer<typeof ZPatchGenerationBody>;

export const ZGenerationIdParams = z.object({ id: z.uuid() });

export const ZGenerationTypeInfo = z.object({
  type: ZGenerationType,
  studio: z.string(),
  /** The type's name in the response's language (Content-Language, decision 104). */
  name: z.string(),
  /** In the response's language, like the parameters' `title` and `description` in `params_schema`. */
  description: z.string(),
  credits_per_output: z.number().int(),
  params_schema: z.record(z.string(), z.unknown()),
  providers: z.array(z.string()),
  /** For each provider in `providers`, what it delivers for this type (it may be less than `description` promises). */
  provider_details: z.array(z.object({ id: z.string(), delivers: z.string() })),
  /** The keys `style` may take: the catalog's active styles of the type's kind (GET /styles), as of this response. */
  styles: z.array(z.string()).optional(),
  /** How many of the caller's own images it takes (a form can offer the right picker). */
  sources: z.object({ min: z.number().int(), max: z.number().int() }),
  /** What a request must carry besides `params`: a prompt, a trained subject, a style. */
  needs: z.object({ prompt: z.boolean(), subject: z.boolean(), style: z.boolean() }),
});

/** The request headers of POST /generations, for the OpenAPI document (the route reads them itself). */
export const ZCreateGenerationHeaders = ZIdempotencyHeaders.extend({
  'cancel-after': z
    .string()
    .regex(/^\s*\d{1,6}\s*[smh]?\s*$/)
    .optional()
    .describe('Cancel the generation if it has not ended this long after it was created: whole seconds, or 30s, 5m, 1h'),
});

/** `Cancel-After` header: whole seconds (Replicate's form `30s`/`5m` accepted too). */
export function parseCancelAfter(raw: unknown): number | undefined | 'invalid' {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') return 'invalid';
  const m = /^\s*(\d{1,6})\s*(s|m|h)?\s*$/.exec(raw);
  if (!m) return 'invalid';
  const n = Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
  return n >= 1 ? n : 'invalid';
}
