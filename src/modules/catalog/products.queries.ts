import { and, arrayContains, asc, desc, eq, ilike, inArray, or } from 'drizzle-orm';
import { afterCursor } from '../../platform/db/keyset.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { Cursor } from '../../platform/http/pagination.ts';
import { assets, type AssetRow } from '../media/index.ts';
import { productImages, products } from './catalog.tables.ts';

export type ProductRow = typeof products.$inferSelect;
export type NewProduct = typeof products.$inferInsert;
export type ProductImageRow = typeof productImages.$inferSelect;

export async function insertProduct(db: DbOrTx, row: NewProduct): Promise<ProductRow> {
  const [created] = await db.insert(products).values(row).returning();
  return created!;
}

export async function findProduct(db: DbOrTx, ownerId: string, id: string): Promise<ProductRow | undefined> {
  const [row] = await db.select().from(products).where(and(eq(products.id, id), eq(products.ownerId, ownerId)));
  return row;
}

export interface ProductFilter {
  tag?: string;
  sku?: string;
  q?: string;
}

const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listProducts(db: DbOrTx, ownerId: string, f: ProductFilter, cursor: Cursor | undefined, limit: number): Promise<ProductRow[]> {
  return db
    .select()
    .from(products)
    .where(
      and(
        eq(products.ownerId, ownerId),
        f.tag ? arrayContains(products.tags, [f.tag]) : undefined,
        f.sku ? eq(products.sku, f.sku) : undefined,
        f.q ? or(ilike(products.name, likePattern(f.q)), ilike(products.description, likePattern(f.q))) : undefined,
        afterCursor(products.createdAt, products.id, cursor),
      ),
    )
    .orderBy(desc(products.createdAt), desc(products.id))
    .limit(limit + 1);
}

export async function updateProduct(db: DbOrTx, ownerId: string, id: string, patch: Partial<NewProduct>): Promise<ProductRow | undefined> {
  const [row] = await db
    .update(products)
    .set(patch)
    .where(and(eq(products.id, id), eq(products.ownerId, ownerId)))
    .returning();
  return row;
}

export async function deleteProduct(db: DbOrTx, ownerId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(products)
    .where(and(eq(products.id, id), eq(products.ownerId, ownerId)))
    .returning({ id: products.id });
  return rows.length > 0;
}

/** Replaces the product's images with `assetIds` in that order; `primary` is one of them. */
export async function replaceImages(tx: DbOrTx, productId: string, assetIds: string[], primary: string | undefined, now: Date): Promise<void> {
  await tx.delete(productImages).where(eq(productImages.productId, productId));
  if (assetIds.length === 0) return;
  await tx.insert(productImages).values(assetIds.map((assetId, position) => ({ productId, assetId, position, isPrimary: assetId === primary, createdAt: now })));
}

export async function imagesOf(db: DbOrTx, productIds: string[]): Promise<Array<{ image: ProductImageRow; asset: AssetRow }>> {
  if (productIds.length === 0) return [];
  return db
    .select({ image: productImages, asset: assets })
    .from(productImages)
    .innerJoin(assets, eq(assets.id, productImages.assetId))
    .where(inArray(productImages.productId, productIds))
    .orderBy(asc(productImages.productId), asc(productImages.position));
}
