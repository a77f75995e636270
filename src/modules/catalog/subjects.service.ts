/**
 * Headshot subjects: create (and pay for) a training, read, delete; and what the generation engine
 * sees of them (`subjectCatalog`, plugged into its CatalogLookup seam).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import { systemEmailJob } from '../../platform/mail/email-jobs.ts';
import type { Queue } from '../../platform/queue/queue.ts';
import type { Db, DbOrTx, Tx } from '../../platform/db/types.ts';
import { errors } from '../../platform/http/errors.ts';
import { unownedAssetIds } from '../media/index.ts';
import type { SettledGeneration, SubjectForEngine, SubjectForProvider } from './engine-contract.ts';
import { localSubjectOf } from './subject-preparation.ts';
import type { TCreateSubjectBody, TSubject } from './subjects.dto.ts';
import * as q from './subjects.queries.ts';

/** The engine's submit path (generation service), so training credits, 402 and jobs behave as any generation. */
export type SubmitGeneration = (
  tx: Tx,
  userId: string,
  body: { type: 'subject_training'; subject_id: string; num_outputs: number },
  opts?: { idempotencyKey?: string | undefined },
) => Promise<{ id: string; credits_reserved: number }>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

export function subjectView(row: q.SubjectRow, imageAssetIds: string[]): TSubject {
  return {
    id: row.id,
    name: row.name,
    gender: row.gender,
    status: row.status,
    preview_asset_id: row.previewAssetId,
    image_asset_ids: imageAssetIds,
    images_count: row.imagesCount,
    training_credits: row.trainingCredits,
    training_generation_id: row.trainingGenerationId,
    trigger_word: str(row.artifacts.trigger_word) ?? null,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** The subject side of the engine's catalog seam: lookups and the end of a training. */
export function subjectCatalog(deps: { db: Db; clock: Clock; queue: Pick<Queue, 'send'> }) {
  async function subject(userId: string, id: string, db: DbOrTx = deps.db): Promise<SubjectForEngine | undefined> {
    const row = await q.findOwnedSubject(db, userId, id);
    if (!row) return undefined;
    const forProvider: SubjectForProvider = { gender: row.gender };
    // Decision 018: a trained model and its trigger word for the external adapters' runs.
    const trainedModel = str(row.artifacts.trained_model);
    const triggerWord = str(row.artifacts.trigger_word);
    if (trainedModel) forProvider.trainedModel = trainedModel;
    if (triggerWord) forProvider.triggerWord = triggerWord;
    // Decision 030: a subject prepared by the local provider carries its faces instead.
    const local = localSubjectOf(row.artifacts);
    if (local) forProvider.localSubject = local;
    return { status: row.status, imageAssetIds: (await q.subjectImageIds(db, [row.id])).get(row.id)!, forProvider };
  }

  /** Runs in the transaction that ends a subject_training generation: the subject ends with it. */
  async function settled(tx: Tx, g: SettledGeneration): Promise<void> {
    if (g.type !== 'subject_training' || !g.subjectId) return;
    const now = deps.clock.now();
    if (g.status === 'completed' && (str(g.artifacts?.trained_model) || localSubjectOf(g.artifacts))) {
      const ready = await q.settleTraining(tx, g.id, {
        status: 'ready',
        artifacts: g.artifacts ?? {},
        ...(g.outputAssetIds[0] ? { previewAssetId: g.outputAssetIds[0] } : {}),
        errorCode: null,
        errorMessage: null,
        updatedAt: now,
      });
      // The owner is told once the settlement commits (the job leaves with the transaction).
      if (ready) await deps.queue.send(systemEmailJob, { user_id: ready.userId, template: 'training_ready', subject_name: ready.name }, { tx });
      return;
    }
    const error =
      g.status === 'completed'
        ? { code: 'provider_error', message: 'The training finished without a trained model or prepared faces.' }
        : g.status === 'cancelled'
          ? { code: 'cancelled', message: 'The training was cancelled.' }
          : (g.error ?? { code: 'provider_error', message: 'The training failed.' });
    await q.settleTraining(tx, g.id, { status: 'failed', errorCode: error.code, errorMessage: error.message.slice(0, 1000), updatedAt: now });
  }

  return { subject, settled };
}

export function createSubjectsService(deps: {
  db: Db;
  clock: Clock;
  submit: SubmitGeneration;
  /** The shorter side each photo needs for the provider that will prepare it (0 or absent: none known). */
  minPhotoSide?: () => number;
}) {
  async function views(db: DbOrTx, rows: q.SubjectRow[]): Promise<TSubject[]> {
    const images = await q.subjectImageIds(db, rows.map((r) => r.id));
    return rows.map((r) => subjectView(r, images.get(r.id)!));
  }

  /**
   * In the caller's transaction: the subject and its photos, then the training generation through
   * the engine's submit (hold, insert, job). Too few credits is the hold's 402, rolling back the
   * subject as well.
   */
  async function create(tx: Tx, userId: string, body: TCreateSubjectBody, opts: { idempotencyKey?: string | undefined } = {}): Promise<TSubject> {
    const ids = body.image_asset_ids;
    if (new Set(ids).size !== ids.length) throw errors.validation([{ path: 'image_asset_ids', message: 'each photo once' }]);
    if ((await unownedAssetIds(tx, userId, ids)).length > 0) throw errors.notFound('Asset');
    const minSide = deps.minPhotoSide?.() ?? 0;
    if (minSide > 0) {
      const sizes = await q.photoSizes(tx, ids);
      const small = ids.flatMap((assetId, i) => {
        const s = sizes.get(assetId);
        return s && Math.min(s.width, s.height) < minSide
          ? [{ path: `image_asset_ids.${i}`, message: `photo ${i + 1} (${assetId}) is ${s.width}×${s.height} px: a face of at least ${minSide} px cannot fit; use a larger photo` }]
          : [];
      });
      if (small.length > 0) throw errors.validation(small);
    }
    const now = deps.clock.now();
    const id = randomUUID();
    await q.insertSubject(tx, { id, userId, name: body.name, gender: body.gender, status: 'training', previewAssetId: ids[0], imagesCount: ids.length, createdAt: now, updatedAt: now }, ids);
    const training = await deps.submit(tx, userId, { type: 'subject_training', subject_id: id, num_outputs: 1 }, opts);
    const row = await q.updateSubject(tx, id, { trainingGenerationId: training.id, trainingCredits: training.credits_reserved });
    // The photos were inserted just above, in this order.
    return subjectView(row!, ids);
  }

  async function list(userId: string): Promise<TSubject[]> {
    return views(deps.db, await q.listOwnedSubjects(deps.db, userId));
  }

  async function get(userId: string, id: string): Promise<TSubject> {
    const row = await q.findOwnedSubject(deps.db, userId, id);
    if (!row) throw errors.notFound('Subject');
    return (await views(deps.db, [row]))[0]!;
  }

  /** Deletes the subject and its photo links (not the photos); generations keep their results. */
  async function remove(userId: string, id: string): Promise<void> {
    if (!(await q.deleteOwnedSubject(deps.db, userId, id))) throw errors.notFound('Subject');
  }

  return { create, list, get, remove };
}
export type SubjectsService = ReturnType<typeof createSubjectsService>;
