/**
 * POST /generations in one transaction (the caller's, which also holds the Idempotency-Key): check
 * the request and the plan's quotas (quota.ts), hold price × num_outputs credits, insert the generation
 * `pending` and send its job.
 * Too few credits is a 402 from the hold, which rolls everything back: nothing is created.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Tx } from '../../platform/db/types.ts';
import { errors, type FieldError } from '../../platform/http/errors.ts';
import { styleReferenceAsset, unownedAssetIds } from '../media/index.ts';
import type { GenerationContext } from './context.ts';
import type { ProviderStyle } from './providers/provider.ts';
import type { TCreateGenerationBody, TGeneration } from './generation.dto.ts';
import { sendRunJob } from './generation.jobs.ts';
import { insertGeneration } from './generation.queries.ts';
import { findActivePrice } from './prices.queries.ts';
import { checkQuota } from './quota.ts';
import { offeredTypes, type TypeSpec } from './registry.ts';
import { outboundUrlProblem } from '../../platform/http/outbound-url.ts';

/** A hold outlives the generation's deadline by this much, so only the engine ends it. */
const HOLD_MARGIN_MS = 3_600_000;
export const MAX_DEADLINE_SEC = 86_400;

export interface SubmitOptions {
  idempotencyKey?: string | undefined;
  /** From `Cancel-After`: seconds from now until the generation is given up. */
  cancelAfterSec?: number | undefined;
  /** The batch (POST /generation-batches) this generation is one of. */
  batchId?: string | undefined;
}

/** Holds a generation's credits until a while past its deadline; a free generation holds nothing. */
export async function holdCredits(
  ctx: GenerationContext,
  tx: Tx,
  g: { generationId: string; userId: string; amount: number; deadlineAt: Date; idempotencyKey: string },
) {
  if (g.amount <= 0) return undefined;
  return ctx.ledger.hold(tx, {
    userId: g.userId,
    amount: g.amount,
    idempotencyKey: g.idempotencyKey,
    referenceType: 'generation',
    referenceId: g.generationId,
    expiresAt: new Date(g.deadlineAt.getTime() + HOLD_MARGIN_MS),
  });
}

function offered(ctx: GenerationContext, type: string): TypeSpec {
  const spec = offeredTypes(ctx.config.generation.studios).find((s) => s.type === type);
  if (!spec) throw errors.validation([{ path: 'type', message: `${type} is not offered here` }]);
  return spec;
}

function parseParams(spec: TypeSpec, raw: Record<string, unknown> | undefined): Record<string, unknown> {
  const parsed = spec.params.safeParse(raw ?? {});
  if (!parsed.success) {
    throw errors.validation(parsed.error.issues.map((i) => ({ path: ['params', ...i.path.map(String)].join('.'), message: i.message })));
  }
  return parsed.data;
}

export function createSubmit(ctx: GenerationContext) {
  /** Checks what the request names; returns its source images and the catalog's style, looked up once. */
  async function sources(tx: Tx, userId: string, spec: TypeSpec, body: TCreateGenerationBody): Promise<{ ids: string[]; style: ProviderStyle | undefined }> {
    const problems: FieldError[] = [];
    if (spec.needs?.prompt && !body.prompt) problems.push({ path: 'prompt', message: `${spec.type} needs a prompt` });
    if (spec.needs?.style && !body.style) problems.push({ path: 'style', message: `${spec.type} needs a style` });
    if (body.reference_asset_id && !spec.takesStyleReference) problems.push({ path: 'reference_asset_id', message: `${spec.type} takes no reference image` });
    const webhookProblem = body.webhook_url ? outboundUrlProblem(body.webhook_url, ctx.config.webhooks) : null;
    if (webhookProblem) problems.push({ path: 'webhook_url', message: webhookProblem });
    if (spec.needs?.subject && !body.subject_id) problems.push({ path: 'subject_id', message: `${spec.type} needs a trained subject` });
    let ids = [...new Set(body.source_asset_ids ?? [])];
    if (ids.length > spec.sources.max) problems.push({ path: 'source_asset_ids', message: `${spec.type} takes at most ${spec.sources.max} source images` });
    const style = body.style ? await ctx.catalog.style?.(body.style, tx) : undefined;
    if (body.style && spec.styleKind && style?.kind !== spec.styleKind) {
      problems.push({ path: 'style', message: `not an active style: use a key of GET /styles?kind=${spec.styleKind}` });
    }
    if (problems.length > 0) throw errors.validation(problems);
    // Someone else's private image is as unknown as a missing one.
    if (body.reference_asset_id && !(await styleReferenceAsset(tx, userId, body.reference_asset_id))) throw errors.notFound('Reference image');

    // Catalog references (the seam in context.ts): until the catalog exists, none resolves.
    if (body.product_id) {
      const product = await ctx.catalog.product(userId, body.product_id, tx);
      if (!product) throw errors.notFound('Product');
      if (ids.length === 0 && spec.sources.orProduct) ids = product.imageAssetIds.slice(0, spec.sources.max);
    }
    if (body.subject_id) {
      const subject = await ctx.catalog.subject(userId, body.subject_id, tx);
      if (!subject) throw errors.notFound('Subject');
      // A training runs on a subject being trained; everything else needs a trained one.
      const wanted = spec.type === 'subject_training' ? 'training' : 'ready';
      if (subject.status !== wanted) throw errors.conflict(`The subject is ${subject.status}, not ${wanted}.`);
    }
    if (body.template_id && !(await ctx.catalog.template(body.template_id, tx))) throw errors.notFound('Template');

    if (ids.length < spec.sources.min) {
      const what = spec.sources.orProduct ? 'source images or a product' : 'source images';
      throw errors.validation([{ path: 'source_asset_ids', message: `${spec.type} needs at least ${spec.sources.min} ${what}` }]);
    }
    // Another user's asset is as unknown as a missing one.
    if ((await unownedAssetIds(tx, userId, ids)).length > 0) throw errors.notFound('Asset');
    return { ids, style: style ?? (body.style ? { key: body.style } : undefined) };
  }

  return async function submit(tx: Tx, userId: string, body: TCreateGenerationBody, opts: SubmitOptions = {}): Promise<TGeneration> {
    const spec = offered(ctx, body.type);
    // The reference travels with the parameters (they are stored with the generation; decision 046).
    const params = { ...parseParams(spec, body.params), ...(body.reference_asset_id ? { reference_asset_id: body.reference_asset_id } : {}) };
    const { ids: sourceAssetIds, style } = await sources(tx, userId, spec, body);
    const price = await findActivePrice(tx, spec.type);
    if (!price) throw errors.validation([{ path: 'type', message: `${spec.type} has no price and is not offered` }]);
    const provider = ctx.providerChoice.choose(spec.type, body.provider);
    // Decision 044: what the chosen provider would refuse is refused now, before anything is held.
    const refused = provider.paramsProblems?.(spec.type, params, style ? { style } : {}) ?? [];
    if (refused.length > 0) throw errors.validation(refused);

    const id = randomUUID();
    const now = ctx.clock.now();
    const deadlineSec = Math.min(opts.cancelAfterSec ?? spec.deadlineSec, MAX_DEADLINE_SEC);
    const deadlineAt = new Date(now.getTime() + deadlineSec * 1000);
    const quota = await checkQuota(tx, { quotaPlan: ctx.quotaPlan, freeQuotaType: ctx.config.preset.freeQuota?.type ?? null }, userId, spec.type, body.num_outputs);
    const creditsPerOutput = quota.free ? 0 : price.creditsPerOutput;
    const credits = creditsPerOutput * body.num_outputs;
    const hold = await holdCredits(ctx, tx, { generationId: id, userId, amount: credits, deadlineAt, idempotencyKey: `generation:${id}` });
    const row = await insertGeneration(tx, {
      id,
      userId,
      type: spec.type,
      studio: spec.studio,
      status: 'pending',
      productId: body.product_id,
      subjectId: body.subject_id,
      templateId: body.template_id,
      style: body.style,
      sourceAssetIds,
      batchId: opts.batchId,
      prompt: body.prompt,
      params,
      numOutputs: body.num_outputs,
      provider: provider.id,
      creditsPerOutput,
      creditsReserved: credits,
      holdId: hold?.hold.id,
      idempotencyKey: opts.idempotencyKey,
      webhookUrl: body.webhook_url,
      webhookEvents: body.webhook_events ?? [],
      deadlineAt,
      createdAt: now,
      updatedAt: now,
    });
    // The stored responses of keys are pruned after a day, the key on the generation stays: a key
    // used again later is refused, never a second generation (the 409 rolls back the hold above).
    if (!row) throw errors.idempotencyConflict();
    await sendRunJob(ctx.queue, tx, { id, userId, deadlineSec }, ctx.config.generation);
    return ctx.views.one(tx, row, []);
  };
}

/** The published form of a type's parameter schema (what a client may send in `params`). */
export const paramsJsonSchema = (spec: TypeSpec): Record<string, unknown> => z.toJSONSchema(spec.params, { io: 'input' }) as Record<string, unknown>;
