import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { assets } from '../media/index.ts';
import { generationBatches, generations, type GenerationStatus } from './generation.tables.ts';

export type BatchRow = typeof generationBatches.$inferSelect;
export type NewBatch = typeof generationBatches.$inferInsert;

export async function insertBatch(db: DbOrTx, row: NewBatch): Promise<BatchRow> {
  const [created] = await db.insert(generationBatches).values(row).returning();
  return created!;
}

export async function updateBatch(db: DbOrTx, id: string, patch: Partial<NewBatch>): Promise<BatchRow> {
  const [row] = await db.update(generationBatches).set(patch).where(eq(generationBatches.id, id)).returning();
  return row!;
}

export async function findOwnedBatch(db: DbOrTx, userId: string, id: string): Promise<BatchRow | undefined> {
  const [row] = await db
    .select()
    .from(generationBatches)
    .where(and(eq(generationBatches.id, id), eq(generationBatches.userId, userId)));
  return row;
}

export interface BatchMember {
  id: string;
  status: GenerationStatus;
  creditsUsed: number;
  completedAt: Date | null;
  outputs: number;
}

/** The batch's generations in submission order, each with the number of result images it has. */
export async function batchMembers(db: DbOrTx, batchId: string): Promise<BatchMember[]> {
  return db
    .select({
      id: generations.id,
      status: generations.status,
      creditsUsed: generations.creditsUsed,
      completedAt: generations.completedAt,
      // Qualified by hand: inside a subquery drizzle leaves column names bare, and "id" would be the asset's.
      outputs: sql<number>`(select count(*)::int from ${assets} a where a.generation_id = "generations"."id")`,
    })
    .from(generations)
    .where(eq(generations.batchId, batchId))
    .orderBy(generations.createdAt, generations.id);
}
