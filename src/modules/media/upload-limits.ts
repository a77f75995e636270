/**
 * A plan's bounds on uploads (issue 16, item 9; decision 110), checked at `POST /assets`:
 *
 * - **Uploads an hour** (`plans.uploads_per_hour`): one slot is spent before the image is decoded,
 *   so a refused upload costs no CPU; over the limit, 429 `rate_limited` with `Retry-After` until the
 *   window ends. Counted in the database (one row per user), so every API node shares the count and
 *   deleting uploads does not give slots back.
 * - **Bytes held** (`plans.upload_storage_mb`, over kinds upload, training and avatar): checked
 *   before decoding with the size received, and again, authoritatively, under a per-owner lock in
 *   the transaction that inserts the row, with the stored size — two parallel uploads cannot both
 *   take the last megabytes. Over it, 403 `quota_exceeded` with `limit`, `used` (bytes) and
 *   `resets_at: null`; the files already put are removed by the caller, so nothing is left.
 */
import { errors, type AppError } from '../../platform/http/errors.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { UploadAllowance } from './limits.ts';
import { lockOwnUploads, ownUploadBytes, spendUploadSlot, uploadWindowEnd } from './upload-limits.queries.ts';

const MIB = 1024 * 1024;

function storageExceeded(limit: number, used: number): AppError {
  const mb = (n: number) => (n / MIB).toFixed(1);
  return errors.quotaExceeded(`Your plan keeps up to ${mb(limit)} MB of uploads; you have ${mb(used)} MB. Delete some or upgrade.`, { limit, used, resets_at: null, unit: 'bytes' });
}

/** Spends an upload of the hour, or refuses with 429 and when to come back. */
export async function spendHourlyUpload(db: DbOrTx, ownerId: string, allowance: UploadAllowance, now: Date): Promise<void> {
  if (allowance.perHour === null) return;
  if (await spendUploadSlot(db, ownerId, now, allowance.perHour)) return;
  const end = (await uploadWindowEnd(db, ownerId)) ?? new Date(now.getTime() + 3_600_000);
  const retryAfter = Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000));
  throw errors.rateLimited(retryAfter, { message: `Your plan allows ${allowance.perHour} uploads an hour; try again later or upgrade.`, extensions: { limit: allowance.perHour } });
}

/** Refuses an upload of `adding` bytes that would take the owner's uploads past the plan's storage. */
export async function checkUploadStorage(db: DbOrTx, ownerId: string, allowance: UploadAllowance, adding: number): Promise<void> {
  if (allowance.storageBytes === null) return;
  const used = await ownUploadBytes(db, ownerId);
  if (used + adding > allowance.storageBytes) throw storageExceeded(allowance.storageBytes, used);
}

/** The authoritative check: in the inserting transaction, under the owner's upload lock. */
export async function checkUploadStorageLocked(tx: DbOrTx, ownerId: string, allowance: UploadAllowance, adding: number): Promise<void> {
  if (allowance.storageBytes === null) return;
  await lockOwnUploads(tx, ownerId);
  await checkUploadStorage(tx, ownerId, allowance, adding);
}
