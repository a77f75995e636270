/**
 * Generation batches (seed 002): many headshots of one subject, one generation per reference photo
 * or per style, each with `images_per_reference` outputs. Every generation of a batch is submitted
 * through the engine's own path in the caller's one transaction, so the batch is all or nothing: a
 * hold that finds too few credits (402) rolls back the batch and every generation before it.
 */
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../platform/db/types.ts';
import { errors } from '../../platform/http/errors.ts';
import type { TBatch, TCreateBatchBody } from './batches.dto.ts';
import * as q from './batches.queries.ts';
import type { GenerationContext } from './context.ts';
import { createSubmit } from './submit.ts';

type BatchStatus = TBatch['status'];

/** The batch follows its generations: all waiting, some running, or how they ended. */
export function batchStatusOf(members: Pick<q.BatchMember, 'status'>[]): BatchStatus {
  const n = (s: string) => members.filter((m) => m.status === s).length;
  if (members.length === 0 || n('pending') === members.length) return 'pending';
  if (n('pending') + n('processing') > 0) return 'processing';
  if (n('completed') === members.length) return 'completed';
  return n('completed') > 0 ? 'partial' : 'failed';
}

export function createBatchesService(ctx: GenerationContext) {
  const submit = createSubmit(ctx);

  async function create(tx: Tx, userId: string, body: TCreateBatchBody) {
    const now = ctx.clock.now();
    const id = randomUUID();
    const params = body.params ?? {};
    const references = body.reference_asset_ids ? [...new Set(body.reference_asset_ids)] : undefined;
    const items = references ?? [...new Set(body.style_keys!)];
    await q.insertBatch(tx, {
      id,
      userId,
      type: 'headshot',
      subjectId: body.subject_id,
      params: { ...params, ...(references ? { reference_asset_ids: references } : { style_keys: items }) },
      imagesPerReference: body.images_per_reference,
      createdAt: now,
      updatedAt: now,
    });
    const created = [];
    for (const item of items) {
      const perItem = references
        ? { source_asset_ids: [item], params: { ...params, reference_asset_id: item } }
        : { params: { ...params, styles: [item] } };
      created.push(
        await submit(tx, userId, { type: 'headshot', subject_id: body.subject_id, num_outputs: body.images_per_reference, webhook_events: [], ...perItem }, { batchId: id }),
      );
    }
    const creditsReserved = created.reduce((sum, g) => sum + g.credits_reserved, 0);
    await q.updateBatch(tx, id, { totalGenerations: created.length, totalImages: created.length * body.images_per_reference, creditsReserved });
    return { id, status: 'pending' as const, generation_ids: created.map((g) => g.id), credits_reserved: creditsReserved };
  }

  async function get(userId: string, id: string): Promise<TBatch> {
    const batch = await q.findOwnedBatch(ctx.db, userId, id);
    if (!batch) throw errors.notFound('Batch');
    const members = await q.batchMembers(ctx.db, id);
    const count = (s: string) => members.filter((m) => m.status === s).length;
    const status = batchStatusOf(members);
    const ended = status === 'completed' || status === 'partial' || status === 'failed';
    const lastEnd = members.reduce<Date | null>((last, m) => (m.completedAt && (!last || m.completedAt > last) ? m.completedAt : last), null);
    return {
      id: batch.id,
      type: batch.type,
      subject_id: batch.subjectId,
      status,
      params: batch.params,
      images_per_reference: batch.imagesPerReference,
      generation_ids: members.map((m) => m.id),
      total_generations: batch.totalGenerations,
      total_images: batch.totalImages,
      counts: { pending: count('pending'), processing: count('processing'), completed: count('completed'), failed: count('failed'), cancelled: count('cancelled') },
      credits_reserved: batch.creditsReserved,
      credits_used: members.reduce((sum, m) => sum + m.creditsUsed, 0),
      outputs: members.reduce((sum, m) => sum + m.outputs, 0),
      created_at: batch.createdAt.toISOString(),
      completed_at: ended && lastEnd ? lastEnd.toISOString() : null,
    };
  }

  return { create, get };
}
export type BatchesService = ReturnType<typeof createBatchesService>;
