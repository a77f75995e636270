/** The system_metrics snapshots and what one is measured from (decision 064). */
import { and, count, desc, gte, lt, sql } from 'drizzle-orm';
import { afterCursor } from '../../platform/db/keyset.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { Cursor } from '../../platform/http/pagination.ts';
import { assets } from '../media/index.ts';
import { generations, providerCalls } from '../generation/index.ts';
import { systemMetrics } from './system-metrics.tables.ts';

export type SystemMetricsRow = typeof systemMetrics.$inferSelect;
export type NewSystemMetrics = typeof systemMetrics.$inferInsert;

export async function insertSnapshot(db: DbOrTx, row: NewSystemMetrics): Promise<SystemMetricsRow> {
  const [saved] = await db.insert(systemMetrics).values(row).returning();
  return saved!;
}

/** Deletes the snapshots recorded before `before`; the index on recorded_at serves it. */
export async function deleteSnapshotsBefore(db: DbOrTx, before: Date): Promise<number> {
  const gone = await db.delete(systemMetrics).where(lt(systemMetrics.recordedAt, before)).returning({ id: systemMetrics.id });
  return gone.length;
}

export async function lastSnapshotAt(db: DbOrTx): Promise<Date | undefined> {
  const [row] = await db.select({ at: systemMetrics.recordedAt }).from(systemMetrics).orderBy(desc(systemMetrics.recordedAt)).limit(1);
  return row?.at;
}

export async function listSnapshots(db: DbOrTx, w: { from?: Date; to?: Date }, cursor: Cursor | undefined, limit: number): Promise<SystemMetricsRow[]> {
  return db
    .select()
    .from(systemMetrics)
    .where(
      and(
        w.from ? gte(systemMetrics.recordedAt, w.from) : undefined,
        w.to ? lt(systemMetrics.recordedAt, w.to) : undefined,
        afterCursor(systemMetrics.recordedAt, systemMetrics.id, cursor),
      ),
    )
    .orderBy(desc(systemMetrics.recordedAt), desc(systemMetrics.id))
    .limit(limit + 1);
}

/** Generations that ended in [from, to) and how many failed; the index on completed_at serves it. */
export async function generationsEnded(db: DbOrTx, from: Date, to: Date): Promise<{ finished: number; failed: number }> {
  const [row] = await db
    .select({ finished: count(), failed: sql<number>`count(*) filter (where ${generations.status} = 'failed')`.mapWith(Number) })
    .from(generations)
    .where(and(gte(generations.completedAt, from), lt(generations.completedAt, to)));
  return { finished: row?.finished ?? 0, failed: row?.failed ?? 0 };
}

export async function providerCallsIn(db: DbOrTx, from: Date, to: Date): Promise<{ calls: number; errors: number }> {
  const [row] = await db
    .select({ calls: count(), errors: sql<number>`count(*) filter (where ${providerCalls.status} = 'error')`.mapWith(Number) })
    .from(providerCalls)
    .where(and(gte(providerCalls.createdAt, from), lt(providerCalls.createdAt, to)));
  return { calls: row?.calls ?? 0, errors: row?.errors ?? 0 };
}

export async function databaseBytes(db: DbOrTx): Promise<number> {
  const res = (await db.execute(sql`select pg_database_size(current_database()) as bytes`)) as unknown as { rows: Array<{ bytes: string | number }> };
  return Number(res.rows[0]?.bytes ?? 0);
}

/** What the stored assets weigh, as their rows record it (account export archives, kept a week, are left out). */
export async function storedBytes(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ bytes: sql<string | null>`sum(${assets.sizeBytes})` }).from(assets);
  return Number(row?.bytes ?? 0);
}
