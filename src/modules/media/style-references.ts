/**
 * Which images a user may name as the look to transfer in a `style_conversion` (decision 046): one of
 * their own assets, or an image a vendor shows publicly (marked public, or in one of the vendor's
 * public albums) while that vendor's account is active. Anything else is unknown to the caller, as a
 * missing asset is. Submit checks it; the worker checks again when it reads the bytes, so an image
 * made private in between is not used.
 */
import { buffer } from 'node:stream/consumers';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { Storage } from '../../platform/storage/index.ts';
import { findUserById } from '../accounts/index.ts';
import * as aq from './assets.queries.ts';
import { findPubliclyShownAsset } from './collections.queries.ts';
import type { OwnedImage } from './results.ts';

export async function styleReferenceAsset(db: DbOrTx, userId: string, assetId: string): Promise<aq.AssetRow | undefined> {
  const own = await aq.findOwnedAsset(db, userId, assetId);
  if (own) return own;
  const shown = await findPubliclyShownAsset(db, assetId);
  if (!shown) return undefined;
  const owner = await findUserById(db, shown.ownerId);
  return owner?.role === 'vendor' && owner.isActive ? shown : undefined;
}

/** The reference's row and bytes, if the user may still use it and its file is there. */
export async function readStyleReference(db: DbOrTx, storage: Storage, userId: string, assetId: string): Promise<OwnedImage | undefined> {
  const row = await styleReferenceAsset(db, userId, assetId);
  if (!row) return undefined;
  const object = await storage.get(row.storageKey);
  if (!object) return undefined;
  return { row, bytes: await buffer(object.stream) };
}
