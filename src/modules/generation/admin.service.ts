/**
 * Admin: every generation with filters, a new attempt for a failed one (with a new hold), and CRUD of
 * generation prices and provider costs. Every write leaves an audit_logs row in its transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/errors.ts';
import { decodeCursor, toPage } from '../../platform/http/pagination.ts';
import { createAdminWrite } from '../../platform/audit/admin-write.ts';
import { apiCosts, generationPrices, generations } from './generation.tables.ts';
import type { TAdminGenerationQuery, TCreateApiCostBody, TCreatePriceBody, TPatchApiCostBody, TPatchPriceBody } from './admin.dto.ts';
import type { GenerationContext } from './context.ts';
import { sendRunJob } from './generation.jobs.ts';
import * as q from './generation.queries.ts';
import * as pq from './prices.queries.ts';
import type { GenerationType } from './providers/provider.ts';
import { typeSpecs } from './registry.ts';
import { holdCredits, MAX_DEADLINE_SEC } from './submit.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { defined } from '../../platform/defined.ts';

/** What the audit row of an admin write records of the request. */
export type AdminMeta = RequestMeta;

const priceView = (p: pq.PriceRow) => ({
  id: p.id,
  type: p.type as GenerationType,
  credits_per_output: p.creditsPerOutput,
  is_active: p.isActive,
  created_at: p.createdAt.toISOString(),
  updated_at: p.updatedAt.toISOString(),
});

const costView = (c: pq.ApiCostRow) => ({
  id: c.id,
  provider: c.provider,
  operation_type: c.operationType,
  model: c.model,
  cost_per_operation_micros: c.costPerOperationMicros,
  currency: c.currency,
  effective_date: c.effectiveDate,
  is_active: c.isActive,
  created_at: c.createdAt.toISOString(),
  updated_at: c.updatedAt.toISOString(),
});

/** What an admin sees of a generation beyond the owner's view. */
const adminFields = (row: q.GenerationRow) => ({ user_id: row.userId, error_code: row.errorCode, api_cost_micros: row.apiCostMicros });

export function createGenerationAdminService(ctx: GenerationContext) {
  const write = createAdminWrite(ctx);

  const adminView = async (tx: Parameters<typeof ctx.views.one>[0], row: q.GenerationRow) => ({ ...(await ctx.views.one(tx, row)), ...adminFields(row) });

  async function listGenerations(query: TAdminGenerationQuery) {
    const rows = await q.listGenerations(
      ctx.db,
      { userId: query.user_id, status: query.status, type: query.type, provider: query.provider, productId: query.product_id, batchId: query.batch_id },
      decodeCursor(query.cursor),
      query.limit,
    );
    const page = toPage(rows, query.limit, (r) => r);
    const views = await ctx.views.many(ctx.db, page.data);
    return {
      data: views.map((v, i) => ({ ...v, ...adminFields(page.data[i]!) })),
      next_cursor: page.next_cursor,
    };
  }

  /** failed → pending again: a new hold for the same credits, a fresh deadline and a new job. 402 when the user lacks the credits now. */
  async function retry(admin: Principal, id: string, meta: AdminMeta) {
    return write(admin, meta, 'generation.retry', { type: 'generation', table: generations, id }, {}, async (tx) => {
      const current = await q.lockGeneration(tx, id);
      if (!current) throw errors.notFound('Generation');
      if (current.status !== 'failed') throw errors.conflict(`Only a failed generation can be retried; this one is ${current.status}.`);
      const spec = typeSpecs.get(current.type as GenerationType)!;
      const now = ctx.clock.now();
      const deadlineSec = Math.min(spec.deadlineSec, MAX_DEADLINE_SEC);
      const deadlineAt = new Date(now.getTime() + deadlineSec * 1000);
      const hold = await holdCredits(ctx, tx, {
        generationId: id,
        userId: current.userId,
        amount: current.creditsReserved,
        deadlineAt,
        idempotencyKey: `generation:${id}:retry:${randomUUID()}`,
      });
      const row = (await q.transition(tx, id, ['failed'], {
        status: 'pending',
        holdId: hold?.hold.id ?? null,
        creditsUsed: 0,
        errorCode: null,
        errorMessage: null,
        runToken: null,
        startedAt: null,
        completedAt: null,
        generationDurationMs: null,
        deadlineAt,
        updatedAt: now,
      }))!;
      await sendRunJob(ctx.queue, tx, { id, userId: row.userId, deadlineSec }, ctx.config.generation);
      return { id, view: await adminView(tx, row) };
    }).then(async (view) => {
      await ctx.bus.publish({ id, status: 'pending' }).catch(() => {});
      return view;
    });
  }

  return {
    listGenerations,
    retry,
    listPrices: async () => ({ data: (await pq.listPrices(ctx.db)).map(priceView) }),
    createPrice: (admin: Principal, body: TCreatePriceBody, meta: AdminMeta) =>
      write(admin, meta, 'generation.price.create', { type: 'generation_price', table: generationPrices }, body, async (tx) => {
        const now = ctx.clock.now();
        const row = await pq.insertPriceIfFree(tx, { type: body.type, creditsPerOutput: body.credits_per_output, isActive: body.is_active, createdAt: now, updatedAt: now });
        if (!row) throw errors.conflict(`${body.type} has a price already; change it instead.`);
        return { id: row.id, view: priceView(row) };
      }),
    patchPrice: (admin: Principal, id: string, body: TPatchPriceBody, meta: AdminMeta) =>
      write(admin, meta, 'generation.price.update', { type: 'generation_price', table: generationPrices, id }, body, async (tx) => {
        const row = await pq.updatePrice(tx, id, { ...defined({ creditsPerOutput: body.credits_per_output, isActive: body.is_active }), updatedAt: ctx.clock.now() });
        if (!row) throw errors.notFound('Price');
        return { id, view: priceView(row) };
      }),
    deletePrice: (admin: Principal, id: string, meta: AdminMeta) =>
      write(admin, meta, 'generation.price.delete', { type: 'generation_price', table: generationPrices, id }, {}, async (tx) => {
        const row = await pq.deletePrice(tx, id);
        if (!row) throw errors.notFound('Price');
        return { id, view: priceView(row) };
      }),

    listApiCosts: async () => ({ data: (await pq.listApiCosts(ctx.db)).map(costView) }),
    createApiCost: (admin: Principal, body: TCreateApiCostBody, meta: AdminMeta) =>
      write(admin, meta, 'generation.api_cost.create', { type: 'api_cost', table: apiCosts }, body, async (tx) => {
        const now = ctx.clock.now();
        const row = await pq.insertApiCost(tx, {
          provider: body.provider,
          operationType: body.operation_type,
          model: body.model,
          costPerOperationMicros: body.cost_per_operation_micros,
          currency: body.currency,
          effectiveDate: body.effective_date,
          isActive: body.is_active,
          createdAt: now,
          updatedAt: now,
        });
        return { id: row.id, view: costView(row) };
      }),
    patchApiCost: (admin: Principal, id: string, body: TPatchApiCostBody, meta: AdminMeta) =>
      write(admin, meta, 'generation.api_cost.update', { type: 'api_cost', table: apiCosts, id }, body, async (tx) => {
        const row = await pq.updateApiCost(tx, id, {
          ...defined({ model: body.model, costPerOperationMicros: body.cost_per_operation_micros, currency: body.currency, effectiveDate: body.effective_date, isActive: body.is_active }),
          updatedAt: ctx.clock.now(),
        });
        if (!row) throw errors.notFound('API cost');
        return { id, view: costView(row) };
      }),
    deleteApiCost: (admin: Principal, id: string, meta: AdminMeta) =>
      write(admin, meta, 'generation.api_cost.delete', { type: 'api_cost', table: apiCosts, id }, {}, async (tx) => {
        const row = await pq.deleteApiCost(tx, id);
        if (!row) throw errors.notFound('API cost');
        return { id, view: costView(row) };
      }),
  };
}
export type GenerationAdminService = ReturnType<typeof createGenerationAdminService>;
