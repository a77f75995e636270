/**
 * Plan limits media enforces. Plans belong to the billing module (being built); until it offers
 * them, the app injects these defaults, which are today's free plans: uploads and results are kept
 * 30 days, and a vendor on Vendor Free may show 10 images in their albums.
 */
import type { DbOrTx } from '../../platform/db/types.ts';
import { isVendor } from '../accounts/index.ts';
import type { AssetKind } from './media.tables.ts';

export interface MediaLimits {
  /** How long a user's files of a kind are kept, in days; null = for good. */
  retentionDays(ownerId: string, kind: AssetKind): Promise<number | null>;
  /** How many distinct images a user may have in their collections; null = no limit. */
  galleryImages(ownerId: string): Promise<number | null>;
}

export const FREE_RETENTION_DAYS = 30;
export const VENDOR_FREE_GALLERY_IMAGES = 10;

export function defaultMediaLimits(db: DbOrTx): MediaLimits {
  return {
    async retentionDays(_ownerId, kind) {
      return kind === 'upload' || kind === 'result' ? FREE_RETENTION_DAYS : null;
    },
    async galleryImages(ownerId) {
      return (await isVendor(db, ownerId)) ? VENDOR_FREE_GALLERY_IMAGES : null;
    },
  };
}
