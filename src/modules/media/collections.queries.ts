import { and, asc, desc, eq, exists, inArray, or, sql } from 'drizzle-orm';
import { afterCursor } from '../../platform/db/keyset.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { Cursor } from '../../platform/http/pagination.ts';
import { assets, collectionItems, collections } from './media.tables.ts';
import type { AssetRow } from './assets.queries.ts';

export type CollectionRow = typeof collections.$inferSelect;
export type NewCollection = typeof collections.$inferInsert;

export async function insertCollection(db: DbOrTx, row: NewCollection): Promise<CollectionRow> {
  const [created] = await db.insert(collections).values(row).returning();
  return created!;
}

export async function findCollection(db: DbOrTx, id: string, by: { ownerId?: string; publicOnly?: boolean }): Promise<CollectionRow | undefined> {
  const [row] = await db
    .select()
    .from(collections)
    .where(
      and(
        eq(collections.id, id),
        by.ownerId ? eq(collections.ownerId, by.ownerId) : undefined,
        by.publicOnly ? eq(collections.isPublic, true) : undefined,
      ),
    );
  return row;
}

export async function listCollections(db: DbOrTx, ownerId: string, opts: { publicOnly?: boolean }, cursor: Cursor | undefined, limit: number) {
  return db
    .select()
    .from(collections)
    .where(
      and(eq(collections.ownerId, ownerId), opts.publicOnly ? eq(collections.isPublic, true) : undefined, afterCursor(collections.createdAt, collections.id, cursor)),
    )
    .orderBy(desc(collections.createdAt), desc(collections.id))
    .limit(limit + 1);
}

export async function updateCollection(db: DbOrTx, ownerId: string, id: string, patch: Partial<NewCollection>) {
  const [row] = await db
    .update(collections)
    .set(patch)
    .where(and(eq(collections.id, id), eq(collections.ownerId, ownerId)))
    .returning();
  return row;
}

export async function deleteCollection(db: DbOrTx, ownerId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(collections)
    .where(and(eq(collections.id, id), eq(collections.ownerId, ownerId)))
    .returning({ id: collections.id });
  return rows.length > 0;
}

/**
 * Appends the assets in the order given, skipping any already there; returns those it added, in that
 * order. Count and cover change in the same transaction.
 */
export async function addItems(tx: DbOrTx, collectionId: string, assetIds: readonly string[], now: Date): Promise<string[]> {
  // Locks the collection row, so concurrent adds get distinct positions and an exact count.
  await tx.update(collections).set({ updatedAt: now }).where(eq(collections.id, collectionId));
  const [last] = await tx
    .select({ next: sql<number>`coalesce(max(${collectionItems.position}), -1) + 1` })
    .from(collectionItems)
    .where(eq(collectionItems.collectionId, collectionId));
  const first = Number(last?.next ?? 0);
  const inserted = await tx
    .insert(collectionItems)
    .values(assetIds.map((assetId, i) => ({ collectionId, assetId, position: first + i, createdAt: now })))
    .onConflictDoNothing()
    .returning({ assetId: collectionItems.assetId });
  const added = new Set(inserted.map((r) => r.assetId));
  const ordered = assetIds.filter((id) => added.has(id));
  if (ordered.length === 0) return [];
  await tx
    .update(collections)
    .set({ itemCount: sql`${collections.itemCount} + ${ordered.length}`, coverAssetId: sql`coalesce(${collections.coverAssetId}, ${ordered[0]}::uuid)` })
    .where(eq(collections.id, collectionId));
  return ordered;
}

export async function removeItem(tx: DbOrTx, collectionId: string, assetId: string, now: Date): Promise<boolean> {
  const removed = await tx
    .delete(collectionItems)
    .where(and(eq(collectionItems.collectionId, collectionId), eq(collectionItems.assetId, assetId)))
    .returning({ assetId: collectionItems.assetId });
  if (removed.length === 0) return false;
  await tx
    .update(collections)
    .set({
      itemCount: sql`${collections.itemCount} - 1`,
      coverAssetId: sql`case when ${collections.coverAssetId} = ${assetId}::uuid then (select ${collectionItems.assetId} from ${collectionItems} where ${collectionItems.collectionId} = ${collectionId}::uuid order by ${collectionItems.position} limit 1) else ${collections.coverAssetId} end`,
      updatedAt: now,
    })
    .where(eq(collections.id, collectionId));
  return true;
}

/** Before an asset is deleted: take it out of every collection, keeping counts and covers right. */
export async function removeAssetFromAll(tx: DbOrTx, assetId: string, now: Date): Promise<void> {
  const rows = await tx.select({ collectionId: collectionItems.collectionId }).from(collectionItems).where(eq(collectionItems.assetId, assetId));
  for (const r of rows) await removeItem(tx, r.collectionId, assetId, now);
}

export async function findAssetsByIds(db: DbOrTx, ids: string[]): Promise<AssetRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(assets).where(sql`${assets.id} in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`);
}

export async function listItems(db: DbOrTx, collectionId: string, limit: number): Promise<AssetRow[]> {
  const rows = await db
    .select({ asset: assets })
    .from(collectionItems)
    .innerJoin(assets, eq(assets.id, collectionItems.assetId))
    .where(eq(collectionItems.collectionId, collectionId))
    .orderBy(asc(collectionItems.position), asc(collectionItems.createdAt))
    .limit(limit);
  return rows.map((r) => r.asset);
}

/** Serialises gallery changes of one owner, so a quota check and its insert see the same count. */
export async function lockGallery(tx: DbOrTx, ownerId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`gallery:${ownerId}`}, 0))`);
}

/** Distinct images in any of the owner's collections. */
export async function countGalleryImages(db: DbOrTx, ownerId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(distinct ${collectionItems.assetId})::int` })
    .from(collectionItems)
    .innerJoin(collections, eq(collections.id, collectionItems.collectionId))
    .where(eq(collections.ownerId, ownerId));
  return Number(row?.n ?? 0);
}

/** Which of these assets are already in one of the owner's collections (they do not count again). */
export async function inGallery(db: DbOrTx, ownerId: string, assetIds: readonly string[]): Promise<Set<string>> {
  const rows = await db
    .selectDistinct({ assetId: collectionItems.assetId })
    .from(collectionItems)
    .innerJoin(collections, eq(collections.id, collectionItems.collectionId))
    .where(and(eq(collections.ownerId, ownerId), inArray(collectionItems.assetId, [...assetIds])));
  return new Set(rows.map((r) => r.assetId));
}

/**
 * An asset its owner shows publicly: marked `is_public`, or an item of one of the owner's public
 * albums. Whether the owner is a vendor is the caller's question (accounts knows roles).
 */
export async function findPubliclyShownAsset(db: DbOrTx, assetId: string): Promise<AssetRow | undefined> {
  const inPublicAlbum = db
    .select({ one: sql`1` })
    .from(collectionItems)
    .innerJoin(collections, eq(collections.id, collectionItems.collectionId))
    .where(and(eq(collectionItems.assetId, assets.id), eq(collections.isPublic, true), eq(collections.ownerId, assets.ownerId)));
  const [row] = await db
    .select()
    .from(assets)
    .where(and(eq(assets.id, assetId), or(eq(assets.isPublic, true), exists(inPublicAlbum))));
  return row;
}
