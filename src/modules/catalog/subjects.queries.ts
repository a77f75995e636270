import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { assets } from '../media/index.ts';
import { productImages } from './catalog.tables.ts';
import { subjectImages, subjects } from './subjects.tables.ts';

export type SubjectRow = typeof subjects.$inferSelect;
export type NewSubject = typeof subjects.$inferInsert;

export async function insertSubject(db: DbOrTx, row: NewSubject, imageAssetIds: string[]): Promise<SubjectRow> {
  const [created] = await db.insert(subjects).values(row).returning();
  await db.insert(subjectImages).values(imageAssetIds.map((assetId, position) => ({ subjectId: created!.id, assetId, position })));
  return created!;
}

export async function findOwnedSubject(db: DbOrTx, userId: string, id: string): Promise<SubjectRow | undefined> {
  const [row] = await db.select().from(subjects).where(and(eq(subjects.id, id), eq(subjects.userId, userId)));
  return row;
}

export async function listOwnedSubjects(db: DbOrTx, userId: string): Promise<SubjectRow[]> {
  return db.select().from(subjects).where(eq(subjects.userId, userId)).orderBy(desc(subjects.createdAt), desc(subjects.id));
}

/** Each subject's photo asset ids, in their order (one query for a whole list). */
export async function subjectImageIds(db: DbOrTx, subjectIds: string[]): Promise<Map<string, string[]>> {
  const byId = new Map(subjectIds.map((id): [string, string[]] => [id, []]));
  if (subjectIds.length === 0) return byId;
  const rows = await db
    .select({ subjectId: subjectImages.subjectId, assetId: subjectImages.assetId })
    .from(subjectImages)
    .where(inArray(subjectImages.subjectId, subjectIds))
    .orderBy(asc(subjectImages.subjectId), asc(subjectImages.position));
  for (const r of rows) byId.get(r.subjectId)!.push(r.assetId);
  return byId;
}

export async function updateSubject(db: DbOrTx, id: string, patch: Partial<NewSubject>): Promise<SubjectRow | undefined> {
  const [row] = await db.update(subjects).set(patch).where(eq(subjects.id, id)).returning();
  return row;
}

/** Moves the subject trained by this generation out of `training`; a deleted subject changes nothing. */
export async function settleTraining(db: DbOrTx, generationId: string, patch: Partial<NewSubject>): Promise<SubjectRow | undefined> {
  const [row] = await db
    .update(subjects)
    .set(patch)
    .where(and(eq(subjects.trainingGenerationId, generationId), eq(subjects.status, 'training')))
    .returning();
  return row;
}

export async function deleteOwnedSubject(db: DbOrTx, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(subjects)
    .where(and(eq(subjects.id, id), eq(subjects.userId, userId)))
    .returning({ id: subjects.id });
  return rows.length > 0;
}

/** The stored pixel size of each photo, by asset id. */
export async function photoSizes(db: DbOrTx, assetIds: string[]): Promise<Map<string, { width: number; height: number }>> {
  if (assetIds.length === 0) return new Map();
  const rows = await db.select({ id: assets.id, width: assets.width, height: assets.height }).from(assets).where(inArray(assets.id, assetIds));
  return new Map(rows.map((r) => [r.id, { width: r.width, height: r.height }]));
}

/** Whether a subject's photos or a product's images include the asset (media's retention asks, decision 110). */
export async function catalogUsesAsset(db: DbOrTx, assetId: string): Promise<boolean> {
  const [subject] = await db.select({ one: subjectImages.position }).from(subjectImages).where(eq(subjectImages.assetId, assetId)).limit(1);
  if (subject) return true;
  const [product] = await db.select({ one: productImages.position }).from(productImages).where(eq(productImages.assetId, assetId)).limit(1);
  return product !== undefined;
}
