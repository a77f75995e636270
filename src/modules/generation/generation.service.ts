/** A user's generations: submit, read, list, annotate, cancel; the type list. */
import { errors } from '../../platform/http/errors.ts';
import { decodeCursor, toPage } from '../../platform/http/pagination.ts';
import type { GenerationContext } from './context.ts';
import type { TGeneration, TGenerationListQuery, TPatchGenerationBody } from './generation.dto.ts';
import * as q from './generation.queries.ts';
import { finalStatuses } from './generation.tables.ts';
import { listPrices } from './prices.queries.ts';
import { offeredTypes } from './registry.ts';
import { createSettlement } from './settle.ts';
import { createSubmit, paramsJsonSchema } from './submit.ts';
import { localizedParamsSchema, phrase, typeDescription, typeName } from './type-texts.ts';
import type { Language } from '../../platform/http/language.ts';

export function createGenerationService(ctx: GenerationContext) {
  const settlement = createSettlement(ctx);

  async function owned(userId: string, id: string): Promise<q.GenerationRow> {
    const row = await q.findOwnedGeneration(ctx.db, userId, id);
    if (!row) throw errors.notFound('Generation');
    return row;
  }

  /** The offered types, their words in `language` (type-texts.ts). */
  async function types(language: Language) {
    const prices = new Map((await listPrices(ctx.db)).filter((p) => p.isActive).map((p) => [p.type, p.creditsPerOutput]));
    const offered = offeredTypes(ctx.config.generation.studios).filter((s) => prices.has(s.type));
    // The styles a type accepts are the catalog's active ones of its kind, read now (admins add them).
    const styleKeys = new Map<string, string[]>();
    for (const kind of new Set(offered.flatMap((s) => (s.styleKind ? [s.styleKind] : [])))) styleKeys.set(kind, (await ctx.catalog.styleKeys?.(kind)) ?? []);
    return offered
      .map((s) => ({
        type: s.type,
        studio: s.studio,
        name: typeName(s.type, language),
        description: typeDescription(s.type, s.description, language),
        credits_per_output: prices.get(s.type)!,
        params_schema: localizedParamsSchema(paramsJsonSchema(s), language),
        providers: ctx.providerChoice.candidates(s.type).map((p) => p.id),
        // Per provider, what it really makes of this type (the local provider's model_shot has no model).
        provider_details: ctx.providerChoice.candidates(s.type).map((p) => {
          const delivers = p.delivers?.(s.type);
          return { id: p.id, delivers: delivers ? phrase(delivers, language) : typeDescription(s.type, s.description, language) };
        }),
        ...(s.styleKind ? { styles: styleKeys.get(s.styleKind) ?? [] } : {}),
        sources: { min: s.sources.min, max: s.sources.max },
        needs: { prompt: Boolean(s.needs?.prompt), subject: Boolean(s.needs?.subject), style: Boolean(s.needs?.style) },
      }));
  }

  async function list(userId: string, query: TGenerationListQuery) {
    const rows = await q.listGenerations(
      ctx.db,
      { userId, status: query.status, type: query.type, productId: query.product_id, batchId: query.batch_id },
      decodeCursor(query.cursor),
      query.limit,
    );
    const page = toPage(rows, query.limit, (r) => r);
    return { data: await ctx.views.many(ctx.db, page.data), next_cursor: page.next_cursor };
  }

  async function get(userId: string, id: string): Promise<TGeneration> {
    return ctx.views.one(ctx.db, await owned(userId, id));
  }

  async function patch(userId: string, id: string, body: TPatchGenerationBody): Promise<TGeneration> {
    const change: Partial<q.NewGeneration> = { updatedAt: ctx.clock.now() };
    if (body.is_favorited !== undefined) change.isFavorited = body.is_favorited;
    if (body.user_rating !== undefined) change.userRating = body.user_rating;
    if (body.user_notes !== undefined) change.userNotes = body.user_notes;
    const row = await q.updateOwnedGeneration(ctx.db, userId, id, change);
    if (!row) throw errors.notFound('Generation');
    return ctx.views.one(ctx.db, row);
  }

  /**
   * Pending or processing → cancelled with the hold released, in one transaction; a worker running
   * it hears the change on the status bus and aborts, and its result (if any) is thrown away. A
   * finished generation cannot be cancelled (409); cancelling twice answers the same.
   */
  async function cancel(userId: string, id: string): Promise<TGeneration> {
    const outcome = await ctx.db.transaction(async (tx) => {
      const current = await q.lockGeneration(tx, id);
      if (!current || current.userId !== userId) throw errors.notFound('Generation');
      if (current.status === 'cancelled') return { row: current, changed: false };
      if (finalStatuses.has(current.status)) return { row: current, refused: true, changed: false };
      return { row: (await settlement.cancel(tx, current))!, changed: true };
    });
    if ('refused' in outcome) throw errors.conflict(`The generation is already ${outcome.row.status}.`);
    if (outcome.changed) await ctx.bus.publish({ id, status: 'cancelled' }).catch((err: unknown) => ctx.log.warn({ err }, 'generation: status push failed'));
    return ctx.views.one(ctx.db, outcome.row);
  }

  return { submit: createSubmit(ctx), types, list, get, patch, cancel, owned };
}
export type GenerationService = ReturnType<typeof createGenerationService>;
