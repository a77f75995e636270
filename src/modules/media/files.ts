/**
 * An asset's two files, whoever makes them (an upload or a generation result): where they are
 * kept, how the thumbnail is made, when they expire and how they are removed.
 */
import type { Sharp } from 'sharp';
import type { Storage } from '../../platform/storage/index.ts';

const DAY = 86_400_000;
const THUMB_SIZE = 320;

/** The storage folder under which every file of an owner's assets lives (account erasure empties it). */
export const assetFolderOf = (ownerId: string): string => `assets/${ownerId}/`;

export const assetKeys = (ownerId: string, id: string, extension: string) => ({
  storageKey: `${assetFolderOf(ownerId)}${id}/original.${extension}`,
  thumbnailKey: `${assetFolderOf(ownerId)}${id}/thumb.webp`,
});

/** The WebP thumbnail every asset has, at most 320 px a side. */
export const thumbnailOf = (image: Sharp): Promise<Buffer> =>
  image.resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 75 }).toBuffer();

/** When a file kept `days` from `from` expires; null (kept for good) stays null. */
export const expiryAfter = (from: Date, days: number | null): Date | null => (days === null ? null : new Date(from.getTime() + days * DAY));

/** Deletes an asset's files, trying each; returns the errors of those that failed, for the caller to log. */
export async function deleteAssetFiles(storage: Storage, row: { storageKey: string; thumbnailKey?: string | null | undefined }): Promise<unknown[]> {
  const keys = [row.storageKey, row.thumbnailKey].filter((k): k is string => Boolean(k));
  const results = await Promise.allSettled(keys.map((k) => storage.delete(k)));
  return results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
}
