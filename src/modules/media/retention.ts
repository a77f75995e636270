/**
 * The retention sweeper: deletes assets whose `expires_at` has passed, row and files together, in
 * small batches. Rows go first (in a transaction that also fixes collection counts and covers), so
 * nothing is ever served from a deleted file; a file that fails to delete is logged. Deleting is
 * idempotent, so repeated or overlapping runs are harmless.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import type { Logger } from '../../platform/logger.ts';
import { scheduledJob, type JobHandler } from '../../platform/queue/queue.ts';
import type { Storage } from '../../platform/storage/index.ts';
import { deleteAssetById, findExpiredAssetIds, lockExpiredAsset } from './assets.queries.ts';
import { removeAssetFromAll } from './collections.queries.ts';

export const retentionJob = scheduledJob('media.retention', '*/15 * * * *', 900);

const BATCH = 100;

export async function sweepExpiredAssets(deps: { db: Db; storage: Storage; clock: Clock; log: Logger }, maxBatches = 50): Promise<number> {
  let removed = 0;
  for (let i = 0; i < maxBatches; i++) {
    const now = deps.clock.now();
    const ids = await findExpiredAssetIds(deps.db, now, BATCH);
    for (const id of ids) {
      const row = await deps.db.transaction(async (tx) => {
        if (!(await lockExpiredAsset(tx, id, now))) return undefined;
        await removeAssetFromAll(tx, id, now);
        return deleteAssetById(tx, id);
      });
      if (!row) continue;
      removed++;
      const keys = [row.storageKey, row.thumbnailKey].filter((k): k is string => Boolean(k));
      const results = await Promise.allSettled(keys.map((k) => deps.storage.delete(k)));
      for (const r of results) if (r.status === 'rejected') deps.log.warn({ err: r.reason, assetId: id }, 'media: expired file left behind');
    }
    if (ids.length < BATCH) break;
  }
  return removed;
}

export function retentionHandler(deps: { db: Db; storage: Storage; clock: Clock }): JobHandler<typeof retentionJob.schema> {
  return {
    definition: retentionJob,
    async handle(_data, ctx) {
      const removed = await sweepExpiredAssets({ ...deps, log: ctx.log });
      ctx.log.info({ removed }, 'media: expired assets removed');
    },
  };
}
