import { and, desc, eq, inArray, lte } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { apiCosts, generationPrices } from './generation.tables.ts';

export type PriceRow = typeof generationPrices.$inferSelect;
export type NewPrice = typeof generationPrices.$inferInsert;
export type ApiCostRow = typeof apiCosts.$inferSelect;
export type NewApiCost = typeof apiCosts.$inferInsert;

export const listPrices = (db: DbOrTx): Promise<PriceRow[]> => db.select().from(generationPrices).orderBy(generationPrices.type);

export async function findActivePrice(db: DbOrTx, type: string): Promise<PriceRow | undefined> {
  const [row] = await db
    .select()
    .from(generationPrices)
    .where(and(eq(generationPrices.type, type), eq(generationPrices.isActive, true)));
  return row;
}

export async function insertPriceIfFree(db: DbOrTx, row: NewPrice): Promise<PriceRow | undefined> {
  const [created] = await db.insert(generationPrices).values(row).onConflictDoNothing().returning();
  return created;
}

export async function updatePrice(db: DbOrTx, id: string, patch: Partial<NewPrice>): Promise<PriceRow | undefined> {
  const [row] = await db.update(generationPrices).set(patch).where(eq(generationPrices.id, id)).returning();
  return row;
}

export async function deletePrice(db: DbOrTx, id: string): Promise<PriceRow | undefined> {
  const [row] = await db.delete(generationPrices).where(eq(generationPrices.id, id)).returning();
  return row;
}

export const listApiCosts = (db: DbOrTx): Promise<ApiCostRow[]> =>
  db.select().from(apiCosts).orderBy(apiCosts.provider, apiCosts.operationType, desc(apiCosts.effectiveDate));

export async function insertApiCost(db: DbOrTx, row: NewApiCost): Promise<ApiCostRow> {
  const [created] = await db.insert(apiCosts).values(row).returning();
  return created!;
}

export async function updateApiCost(db: DbOrTx, id: string, patch: Partial<NewApiCost>): Promise<ApiCostRow | undefined> {
  const [row] = await db.update(apiCosts).set(patch).where(eq(apiCosts.id, id)).returning();
  return row;
}

export async function deleteApiCost(db: DbOrTx, id: string): Promise<ApiCostRow | undefined> {
  const [row] = await db.delete(apiCosts).where(eq(apiCosts.id, id)).returning();
  return row;
}

/** The cost per operation in effect on `day` for a provider and type (a `*` row covers every type). */
export async function effectiveCost(db: DbOrTx, provider: string, type: string, day: string): Promise<ApiCostRow | undefined> {
  const [row] = await db
    .select()
    .from(apiCosts)
    .where(and(eq(apiCosts.provider, provider), inArray(apiCosts.operationType, [type, '*']), eq(apiCosts.isActive, true), lte(apiCosts.effectiveDate, day)))
    .orderBy(desc(apiCosts.effectiveDate), desc(apiCosts.operationType))
    .limit(1);
  return row;
}
