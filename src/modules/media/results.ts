/**
 * What the generation engine needs of media: the bytes of a user's own source image, and storing
 * a result image as an asset (kind `result`, with its generation, a thumbnail and the retention
 * expiry). Storing is split in two so the rows commit in the engine's completion transaction: the
 * files are written first (`writeResultFiles`), the rows inserted with the transaction
 * (`insertResultAssets`), and the files removed again if that transaction does not commit.
 */
import { createHash, randomUUID } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import sharp from 'sharp';
import type { Clock } from '../../platform/clock.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { Storage } from '../../platform/storage/index.ts';
import * as aq from './assets.queries.ts';
import { assetKeys, deleteAssetFiles, expiryAfter, thumbnailOf } from './files.ts';
import type { MediaLimits } from './limits.ts';

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/svg+xml': 'svg' };

export interface OwnedImage {
  row: aq.AssetRow;
  bytes: Buffer;
}

/** The asset row and bytes when `ownerId` owns it; undefined otherwise (or when the file is gone). */
export async function readOwnedAsset(db: DbOrTx, storage: Storage, ownerId: string, assetId: string): Promise<OwnedImage | undefined> {
  const row = await aq.findOwnedAsset(db, ownerId, assetId);
  if (!row) return undefined;
  const object = await storage.get(row.storageKey);
  if (!object) return undefined;
  return { row, bytes: await buffer(object.stream) };
}

/** Ids among `ids` that `ownerId` does not own (or that do not exist). */
export async function unownedAssetIds(db: DbOrTx, ownerId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await aq.findAssetOwners(db, [...new Set(ids)]);
  const owned = new Set(rows.filter((r) => r.ownerId === ownerId).map((r) => r.id));
  return ids.filter((id) => !owned.has(id));
}

export interface ResultImage {
  bytes: Buffer;
  mimeType: string;
}

export interface ResultStoreDeps {
  storage: Storage;
  clock: Clock;
  limits: Pick<MediaLimits, 'retentionDays'>;
}

/** Writes a result's file and thumbnail; returns the row to insert. Throws if the bytes are not an image. */
export async function writeResultFiles(deps: ResultStoreDeps, ownerId: string, generationId: string, index: number, image: ResultImage): Promise<aq.NewAsset> {
  const extension = EXTENSIONS[image.mimeType];
  if (!extension) throw new Error(`result of type ${image.mimeType} cannot be stored`);
  const decoded = sharp(image.bytes, { failOn: 'truncated' });
  const meta = await decoded.metadata();
  const thumbnail = await thumbnailOf(decoded.clone());
  // Everything that can fail without writing is asked first (the plan's retention reads the
  // database): a failure past this point would leave files that no caller knows to remove.
  const days = await deps.limits.retentionDays(ownerId, 'result');
  const id = randomUUID();
  const { storageKey, thumbnailKey } = assetKeys(ownerId, id, extension);
  await deps.storage.put(storageKey, image.bytes, { contentType: image.mimeType });
  try {
    await deps.storage.put(thumbnailKey, thumbnail, { contentType: 'image/webp' });
  } catch (err) {
    await deleteAssetFiles(deps.storage, { storageKey, thumbnailKey });
    throw err;
  }
  const now = deps.clock.now();
  return {
    id,
    ownerId,
    kind: 'result',
    storageKey,
    thumbnailKey,
    filename: `${generationId.slice(0, 8)}-${index + 1}.${extension}`,
    mimeType: image.mimeType,
    sizeBytes: image.bytes.length,
    width: meta.width ?? 0,
    height: meta.height ?? 0,
    sha256: createHash('sha256').update(image.bytes).digest('hex'),
    generationId,
    metadata: { output_index: index },
    expiresAt: expiryAfter(now, days),
    createdAt: now,
    updatedAt: now,
  };
}

export const insertResultAssets = (tx: DbOrTx, rows: aq.NewAsset[]): Promise<aq.AssetRow[]> => aq.insertAssets(tx, rows);

/** Removes the files of rows that were written but never committed. */
export async function deleteResultFiles(storage: Storage, rows: Array<Pick<aq.NewAsset, 'storageKey' | 'thumbnailKey'>>): Promise<void> {
  await Promise.all(rows.map((r) => deleteAssetFiles(storage, r)));
}

/** The result assets of these generations, oldest first. */
export async function resultAssetsOf(db: DbOrTx, generationIds: readonly string[]): Promise<aq.AssetRow[]> {
  const rows = await aq.findAssetsByGenerations(db, [...generationIds]);
  const index = (r: aq.AssetRow) => (typeof r.metadata.output_index === 'number' ? r.metadata.output_index : 0);
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || index(a) - index(b));
}
