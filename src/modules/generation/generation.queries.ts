import { and, asc, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { afterCursor } from '../../platform/db/keyset.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { Cursor } from '../../platform/http/pagination.ts';
import { generations, providerCalls, usageStats, type GenerationStatus } from './generation.tables.ts';

export type GenerationRow = typeof generations.$inferSelect;
export type NewGeneration = typeof generations.$inferInsert;
export type NewProviderCall = typeof providerCalls.$inferInsert;

/** Undefined when the user's Idempotency-Key already names another generation. */
export async function insertGeneration(db: DbOrTx, row: NewGeneration): Promise<GenerationRow | undefined> {
  const [created] = await db
    .insert(generations)
    .values(row)
    .onConflictDoNothing({ target: [generations.userId, generations.idempotencyKey] })
    .returning();
  return created;
}

export async function findGeneration(db: DbOrTx, id: string): Promise<GenerationRow | undefined> {
  const [row] = await db.select().from(generations).where(eq(generations.id, id));
  return row;
}

export async function findOwnedGeneration(db: DbOrTx, userId: string, id: string): Promise<GenerationRow | undefined> {
  const [row] = await db.select().from(generations).where(and(eq(generations.id, id), eq(generations.userId, userId)));
  return row;
}

/** The row under a lock, for a state change decided on what it holds now. */
export async function lockGeneration(tx: DbOrTx, id: string): Promise<GenerationRow | undefined> {
  const [row] = await tx.select().from(generations).where(eq(generations.id, id)).for('update');
  return row;
}

export interface GenerationFilter {
  userId?: string | undefined;
  status?: GenerationStatus | undefined;
  type?: string | undefined;
  productId?: string | undefined;
  batchId?: string | undefined;
  provider?: string | undefined;
}

export async function listGenerations(db: DbOrTx, filter: GenerationFilter, cursor: Cursor | undefined, limit: number): Promise<GenerationRow[]> {
  const where: Array<SQL | undefined> = [afterCursor(generations.createdAt, generations.id, cursor)];
  if (filter.userId) where.push(eq(generations.userId, filter.userId));
  if (filter.status) where.push(eq(generations.status, filter.status));
  if (filter.type) where.push(eq(generations.type, filter.type));
  if (filter.productId) where.push(eq(generations.productId, filter.productId));
  if (filter.batchId) where.push(eq(generations.batchId, filter.batchId));
  if (filter.provider) where.push(eq(generations.provider, filter.provider));
  return db
    .select()
    .from(generations)
    .where(and(...where))
    .orderBy(desc(generations.createdAt), desc(generations.id))
    .limit(limit + 1);
}

export async function updateOwnedGeneration(db: DbOrTx, userId: string, id: string, patch: Partial<NewGeneration>): Promise<GenerationRow | undefined> {
  const [row] = await db
    .update(generations)
    .set(patch)
    .where(and(eq(generations.id, id), eq(generations.userId, userId)))
    .returning();
  return row;
}

/**
 * Moves a generation from one of `from` to a new state. `runToken` fences a run: when given, only the
 * row still carrying that token changes, so a run that lost its claim (cancelled, timed out,
 * taken over after a crash) cannot finish it.
 */
export async function transition(
  tx: DbOrTx,
  id: string,
  from: readonly GenerationStatus[],
  patch: Partial<NewGeneration>,
  runToken?: string,
): Promise<GenerationRow | undefined> {
  const where = [eq(generations.id, id), inArray(generations.status, [...from])];
  if (runToken) where.push(eq(generations.runToken, runToken));
  const [row] = await tx
    .update(generations)
    .set(patch)
    .where(and(...where))
    .returning();
  return row;
}

/** For each of these generations: the pending generations submitted before it, plus one; one query for all. */
export async function queuePositions(db: DbOrTx, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  // Drizzle leaves columns of a one-table select unqualified, so the correlated count names them itself.
  const rows = await db
    .select({
      id: generations.id,
      n: sql<number>`(select count(*)::int from ${generations} ahead where ahead.status = 'pending' and (ahead.created_at, ahead.id) < (generations.created_at, generations.id))`,
    })
    .from(generations)
    .where(inArray(generations.id, ids));
  return new Map(rows.map((r) => [r.id, r.n + 1]));
}

/** Open generations whose deadline passed before `before`. */
export async function findOverdue(db: DbOrTx, before: Date, limit: number): Promise<GenerationRow[]> {
  return db
    .select()
    .from(generations)
    .where(and(inArray(generations.status, ['pending', 'processing']), lt(generations.deadlineAt, before)))
    .orderBy(asc(generations.deadlineAt))
    .limit(limit);
}

export interface UsageDelta {
  total?: number;
  successful?: number;
  failed?: number;
  cancelled?: number;
  outputs?: number;
  creditsUsed?: number;
  costMicros?: number;
  durationMs?: number;
}

/** Adds to the user's row of the day (UTC), creating it on first use. */
export async function addUsage(tx: DbOrTx, userId: string, day: string, d: UsageDelta, now: Date): Promise<void> {
  const v = {
    totalGenerations: d.total ?? 0,
    successfulGenerations: d.successful ?? 0,
    failedGenerations: d.failed ?? 0,
    cancelledGenerations: d.cancelled ?? 0,
    outputs: d.outputs ?? 0,
    creditsUsed: d.creditsUsed ?? 0,
    totalCostMicros: d.costMicros ?? 0,
    totalDurationMs: d.durationMs ?? 0,
  };
  await tx
    .insert(usageStats)
    .values({ userId, date: day, ...v, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [usageStats.userId, usageStats.date],
      set: {
        totalGenerations: sql`${usageStats.totalGenerations} + ${v.totalGenerations}`,
        successfulGenerations: sql`${usageStats.successfulGenerations} + ${v.successfulGenerations}`,
        failedGenerations: sql`${usageStats.failedGenerations} + ${v.failedGenerations}`,
        cancelledGenerations: sql`${usageStats.cancelledGenerations} + ${v.cancelledGenerations}`,
        outputs: sql`${usageStats.outputs} + ${v.outputs}`,
        creditsUsed: sql`${usageStats.creditsUsed} + ${v.creditsUsed}`,
        totalCostMicros: sql`${usageStats.totalCostMicros} + ${v.totalCostMicros}`,
        totalDurationMs: sql`${usageStats.totalDurationMs} + ${v.totalDurationMs}`,
        updatedAt: now,
      },
    });
}

export async function insertProviderCalls(tx: DbOrTx, rows: NewProviderCall[]): Promise<void> {
  if (rows.length > 0) await tx.insert(providerCalls).values(rows);
}

/**
 * Serialises one user's quota checks until the transaction ends, so two parallel submits cannot
 * both take the last free conversion (PGlite runs one transaction at a time anyway).
 */
export async function lockUserQuota(tx: DbOrTx, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`quota:${userId}`}, 0))`);
}

/** A user's generations of `type` in [since, until) and the outputs they asked for; failed and cancelled ones do not count. */
export async function usedInPeriod(tx: DbOrTx, userId: string, since: Date, until: Date, type: string): Promise<{ generations: number; outputs: number }> {
  const [row] = await tx
    .select({
      generations: sql<number>`count(*)`.mapWith(Number),
      outputs: sql<number>`coalesce(sum(${generations.numOutputs}), 0)`.mapWith(Number),
    })
    .from(generations)
    .where(
      and(
        eq(generations.userId, userId),
        eq(generations.type, type),
        sql`${generations.createdAt} >= ${since} and ${generations.createdAt} < ${until}`,
        sql`${generations.status} not in ('failed', 'cancelled')`,
      ),
    );
  return { generations: row?.generations ?? 0, outputs: row?.outputs ?? 0 };
}
