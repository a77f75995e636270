/** The API shape of a generation: the row, its output assets and, while pending, its queue position. */
import type { DbOrTx } from '../../platform/db/types.ts';
import { resultAssetsOf, type AssetLinks, type AssetRow } from '../media/index.ts';
import type { TGeneration } from './generation.dto.ts';
import { queuePositions, type GenerationRow } from './generation.queries.ts';
import type { GenerationType } from './providers/provider.ts';

export function generationView(row: GenerationRow, outputs: TGeneration['outputs'], position: number | null): TGeneration {
  return {
    id: row.id,
    type: row.type as GenerationType,
    studio: row.studio,
    status: row.status,
    prompt: row.prompt,
    params: row.params,
    num_outputs: row.numOutputs,
    provider: row.provider,
    model: row.model,
    credits_reserved: row.creditsReserved,
    credits_used: row.creditsUsed,
    outputs,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    queue_position: position,
    batch_id: row.batchId,
    product_id: row.productId,
    subject_id: row.subjectId,
    template_id: row.templateId,
    style: row.style,
    source_asset_ids: row.sourceAssetIds,
    attempts: row.attempts,
    webhook_url: row.webhookUrl,
    webhook_events: row.webhookEvents,
    deadline_at: row.deadlineAt.toISOString(),
    created_at: row.createdAt.toISOString(),
    started_at: row.startedAt?.toISOString() ?? null,
    completed_at: row.completedAt?.toISOString() ?? null,
    generation_duration_ms: row.generationDurationMs,
    is_favorited: row.isFavorited,
    user_rating: row.userRating,
    user_notes: row.userNotes,
  };
}

export function createGenerationViews(links: AssetLinks) {
  /** Views of several rows with one query for all their outputs and one for the queue positions of the pending ones. */
  async function many(db: DbOrTx, rows: GenerationRow[], known: AssetRow[] | undefined = undefined): Promise<TGeneration[]> {
    const assets = known ?? (await resultAssetsOf(db, rows.map((r) => r.id)));
    const byGeneration = new Map<string, AssetRow[]>();
    for (const a of assets) byGeneration.set(a.generationId!, [...(byGeneration.get(a.generationId!) ?? []), a]);
    const positions = await queuePositions(db, rows.filter((r) => r.status === 'pending').map((r) => r.id));
    return Promise.all(
      rows.map(async (r) =>
        generationView(r, await Promise.all((byGeneration.get(r.id) ?? []).map(links.view)), positions.get(r.id) ?? null),
      ),
    );
  }

  return {
    many,
    one: async (db: DbOrTx, row: GenerationRow, known?: AssetRow[]): Promise<TGeneration> => (await many(db, [row], known))[0]!,
  };
}
export type GenerationViews = ReturnType<typeof createGenerationViews>;
