/**
 * The retention sweeper: deletes assets whose `expires_at` has passed, row and files together, in
 * small batches. Rows go first (in a transaction that also fixes collection counts and covers), so
 * nothing is ever served from a deleted file; a file that fails to delete is logged. Deleting is
 * idempotent, so repeated or overlapping runs are harmless.
 *
 * An expiry is set at upload from the owner's plan then. Before deleting, the sweeper asks the plan
 * the owner is on now: if it keeps files longer (the owner has upgraded), the asset gets the later
 * expiry instead (counted from its upload), and stays.
 *
 * Training photos and avatars are not kept by plan but by use (decision 110): one expires
 * `unusedDays` after upload, and when that comes the sweeper asks, in the deleting transaction with
 * the asset row locked, whether a subject, a product or a profile uses it. If one does, it is looked
 * at again `unusedDays` later; if not, it goes. The row lock makes a subject created at that moment
 * wait for the answer (its reference to the asset needs the row), so nothing in use is deleted.
 *
 * The same question is asked of every other asset whose plan time is up: a plain upload or a result
 * that a product shows or a subject was trained from is not taken from under it (the catalog's
 * references cascade, so deleting it would silently empty the product). It is looked at again
 * `unusedDays` later, and goes at the first look after nothing uses it.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db, DbOrTx } from '../../platform/db/types.ts';
import type { Logger } from '../../platform/logger.ts';
import { scheduledJob, type JobHandler } from '../../platform/queue/queue.ts';
import type { Storage } from '../../platform/storage/index.ts';
import { deleteAssetById, extendExpiredAsset, findExpiredAssets, lockExpiredAsset, type ExpiredAsset } from './assets.queries.ts';
import { removeAssetFromAll } from './collections.queries.ts';
import { deleteAssetFiles, expiryAfter } from './files.ts';
import type { MediaLimits } from './limits.ts';
import type { AssetKind } from './media.tables.ts';

export const retentionJob = scheduledJob('media.retention', '*/15 * * * *', 900);

const BATCH = 100;

/** Whether anything uses an asset (a subject's photos, a product's images, an avatar): handed in by the composition root. */
export type AssetInUse = (tx: DbOrTx, assetId: string) => Promise<boolean>;

/** Kinds kept while in use rather than by plan. */
const KEPT_WHILE_USED: readonly AssetKind[] = ['training', 'avatar'];

export interface RetentionDeps {
  db: Db;
  storage: Storage;
  clock: Clock;
  limits: MediaLimits;
  inUse: AssetInUse;
  /** Days between looks at an expired asset that something uses (ATELIER_UNUSED_UPLOAD_DAYS). */
  unusedDays: number;
}

export async function sweepExpiredAssets(deps: RetentionDeps & { log: Logger }, maxBatches = 50): Promise<number> {
  let removed = 0;
  for (let i = 0; i < maxBatches; i++) {
    const now = deps.clock.now();
    const expired = await findExpiredAssets(deps.db, now, BATCH);
    // Asked outside the transactions below: the limits read the database on their own connection.
    const byPlan = expired.filter((a) => !KEPT_WHILE_USED.includes(a.kind));
    const keepUntil = await keepUntilByPlan(deps.limits, byPlan);
    for (const asset of expired) {
      // Only assets kept by plan have an entry: a later plan expiry puts the look off.
      const until = keepUntil.get(asset.id);
      if (until === null || (until !== undefined && until > now)) {
        await extendExpiredAsset(deps.db, asset.id, now, until);
        continue;
      }
      if (await sweepIfUnused(deps, asset.id, now)) removed++;
    }
    if (expired.length < BATCH) break;
  }
  return removed;
}

/** Deletes an expired asset that nothing uses, or looks again `unusedDays` later; true when it went. */
async function sweepIfUnused(deps: RetentionDeps & { log: Logger }, id: string, now: Date): Promise<boolean> {
  const row = await deps.db.transaction(async (tx) => {
    if (!(await lockExpiredAsset(tx, id, now))) return undefined;
    if (await deps.inUse(tx, id)) {
      await extendExpiredAsset(tx, id, now, expiryAfter(now, deps.unusedDays));
      return undefined;
    }
    await removeAssetFromAll(tx, id, now);
    return deleteAssetById(tx, id);
  });
  if (!row) return false;
  for (const err of await deleteAssetFiles(deps.storage, row)) deps.log.warn({ err, assetId: id }, 'media: expired file left behind');
  return true;
}

/** When each asset's owner's current plan would let it expire (null = never), asking once per owner and kind. */
async function keepUntilByPlan(limits: MediaLimits, expired: ExpiredAsset[]): Promise<Map<string, Date | null>> {
  const days = new Map<string, Promise<number | null>>();
  const out = new Map<string, Date | null>();
  for (const a of expired) {
    const key = `${a.ownerId}:${a.kind}`;
    if (!days.has(key)) days.set(key, limits.retentionDays(a.ownerId, a.kind));
    const d = await days.get(key)!;
    out.set(a.id, expiryAfter(a.createdAt, d));
  }
  return out;
}

export function retentionHandler(deps: RetentionDeps): JobHandler<typeof retentionJob.schema> {
  return {
    definition: retentionJob,
    async handle(_data, ctx) {
      const removed = await sweepExpiredAssets({ ...deps, log: ctx.log });
      ctx.log.info({ removed }, 'media: expired assets removed');
    },
  };
}
