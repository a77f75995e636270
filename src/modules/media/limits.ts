/**
 * Plan limits media enforces. They come from the owner's effective plan, which belongs to billing;
 * the composition root hands them in (billing's `createPlanLimits`), so media does not import billing.
 */
import type { AssetKind } from './media.tables.ts';

/** What a user's plan lets them upload (decision 110). Null = no limit. */
export interface UploadAllowance {
  /** Days an upload (kind `upload`) is kept; null = until deleted. */
  retentionDays: number | null;
  /** Bytes the user's own uploads (kinds upload, training, avatar) may hold at once. */
  storageBytes: number | null;
  /** Uploads a user may make in an hour. */
  perHour: number | null;
}

export interface MediaLimits {
  /** The upload bounds of the user's plan now. */
  uploads(ownerId: string): Promise<UploadAllowance>;
  /** How long a user's files of a kind are kept, in days; null = for good. */
  retentionDays(ownerId: string, kind: AssetKind): Promise<number | null>;
  /** How many distinct images a user may have in their collections; null = no limit. */
  galleryImages(ownerId: string): Promise<number | null>;
}
