import { and, arrayContains, asc, desc, eq, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { afterCursor } from '../../platform/db/keyset.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { Cursor } from '../../platform/http/pagination.ts';
import { assets, collectionItems, type AssetKind } from './media.tables.ts';

export type AssetRow = typeof assets.$inferSelect;
export type NewAsset = typeof assets.$inferInsert;

export async function insertAsset(db: DbOrTx, row: NewAsset): Promise<AssetRow> {
  const [created] = await db.insert(assets).values(row).returning();
  return created!;
}

export async function findAssetById(db: DbOrTx, id: string): Promise<AssetRow | undefined> {
  const [row] = await db.select().from(assets).where(eq(assets.id, id));
  return row;
}

export async function findOwnedAsset(db: DbOrTx, ownerId: string, id: string): Promise<AssetRow | undefined> {
  const [row] = await db.select().from(assets).where(and(eq(assets.id, id), eq(assets.ownerId, ownerId)));
  return row;
}

export interface AssetFilter {
  kind?: AssetKind | undefined;
  favorite?: boolean | undefined;
  collectionId?: string | undefined;
  generationId?: string | undefined;
  tag?: string | undefined;
}

export async function listAssets(db: DbOrTx, ownerId: string, filter: AssetFilter, cursor: Cursor | undefined, limit: number): Promise<AssetRow[]> {
  const where: Array<SQL | undefined> = [eq(assets.ownerId, ownerId), afterCursor(assets.createdAt, assets.id, cursor)];
  if (filter.kind) where.push(eq(assets.kind, filter.kind));
  if (filter.favorite !== undefined) where.push(eq(assets.isFavorite, filter.favorite));
  if (filter.generationId) where.push(eq(assets.generationId, filter.generationId));
  if (filter.tag) where.push(arrayContains(assets.tags, [filter.tag]));
  if (filter.collectionId) {
    where.push(
      sql`exists (select 1 from ${collectionItems} where ${collectionItems.assetId} = ${assets.id} and ${collectionItems.collectionId} = ${filter.collectionId})`,
    );
  }
  return db
    .select()
    .from(assets)
    .where(and(...where))
    .orderBy(desc(assets.createdAt), desc(assets.id))
    .limit(limit + 1);
}

export async function updateOwnedAsset(db: DbOrTx, ownerId: string, id: string, patch: Partial<NewAsset>): Promise<AssetRow | undefined> {
  const [row] = await db
    .update(assets)
    .set(patch)
    .where(and(eq(assets.id, id), eq(assets.ownerId, ownerId)))
    .returning();
  return row;
}

export async function deleteOwnedAsset(db: DbOrTx, ownerId: string, id: string): Promise<AssetRow | undefined> {
  const [row] = await db
    .delete(assets)
    .where(and(eq(assets.id, id), eq(assets.ownerId, ownerId)))
    .returning();
  return row;
}

export async function incrementDownloads(db: DbOrTx, id: string): Promise<void> {
  await db
    .update(assets)
    .set({ downloadCount: sql`${assets.downloadCount} + 1` })
    .where(eq(assets.id, id));
}

export interface ExpiredAsset {
  id: string;
  ownerId: string;
  kind: AssetKind;
  createdAt: Date;
}

export async function findExpiredAssets(db: DbOrTx, now: Date, limit: number): Promise<ExpiredAsset[]> {
  return db
    .select({ id: assets.id, ownerId: assets.ownerId, kind: assets.kind, createdAt: assets.createdAt })
    .from(assets)
    .where(lte(assets.expiresAt, now))
    .orderBy(asc(assets.expiresAt))
    .limit(limit);
}

/** Locks the asset if it is (still) expired, so the sweeper and a user's delete cannot both act on it. */
export async function lockExpiredAsset(tx: DbOrTx, id: string, now: Date): Promise<boolean> {
  const rows = await tx
    .select({ id: assets.id })
    .from(assets)
    .where(and(eq(assets.id, id), lte(assets.expiresAt, now)))
    .for('update');
  return rows.length > 0;
}

/** Gives an expired asset a new expiry (null = kept for good), if it is still expired. */
export async function extendExpiredAsset(db: DbOrTx, id: string, now: Date, expiresAt: Date | null): Promise<boolean> {
  const rows = await db
    .update(assets)
    .set({ expiresAt, updatedAt: now })
    .where(and(eq(assets.id, id), lte(assets.expiresAt, now)))
    .returning({ id: assets.id });
  return rows.length > 0;
}

export async function deleteAssetById(tx: DbOrTx, id: string): Promise<AssetRow | undefined> {
  const [row] = await tx.delete(assets).where(eq(assets.id, id)).returning();
  return row;
}

/** Owners of these assets (for the generation engine's ownership check). */
export async function findAssetOwners(db: DbOrTx, ids: string[]): Promise<Array<{ id: string; ownerId: string }>> {
  if (ids.length === 0) return [];
  return db.select({ id: assets.id, ownerId: assets.ownerId }).from(assets).where(inArray(assets.id, ids));
}

export async function insertAssets(db: DbOrTx, rows: NewAsset[]): Promise<AssetRow[]> {
  if (rows.length === 0) return [];
  return db.insert(assets).values(rows).returning();
}

export async function findAssetsByGenerations(db: DbOrTx, generationIds: string[]): Promise<AssetRow[]> {
  if (generationIds.length === 0) return [];
  return db.select().from(assets).where(inArray(assets.generationId, generationIds)).orderBy(asc(assets.createdAt), asc(assets.id));
}
