import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { assets, uploadCounters, type AssetKind } from './media.tables.ts';

/** The kinds a user uploads themselves; their bytes count against the plan's upload storage. */
export const OWN_UPLOAD_KINDS: readonly AssetKind[] = ['upload', 'training', 'avatar'];

const HOUR_MS = 3_600_000;

/**
 * Spends one upload of the user's current one-hour window in one statement (the upsert's row lock
 * orders parallel uploads, so exactly `perHour` get through). A window older than an hour starts
 * again at `now`. Returns false, spending nothing, when the window is full.
 */
export async function spendUploadSlot(db: DbOrTx, userId: string, now: Date, perHour: number): Promise<boolean> {
  const stale = sql`${uploadCounters.windowStart} <= ${new Date(now.getTime() - HOUR_MS).toISOString()}::timestamptz`;
  const rows = await db
    .insert(uploadCounters)
    .values({ userId, windowStart: now, count: 1 })
    .onConflictDoUpdate({
      target: uploadCounters.userId,
      set: {
        windowStart: sql`case when ${stale} then ${now.toISOString()}::timestamptz else ${uploadCounters.windowStart} end`,
        count: sql`case when ${stale} then 1 else ${uploadCounters.count} + 1 end`,
      },
      setWhere: sql`${stale} or ${uploadCounters.count} < ${perHour}`,
    })
    .returning({ count: uploadCounters.count });
  return rows.length > 0;
}

/** When the user's full window ends (for Retry-After). */
export async function uploadWindowEnd(db: DbOrTx, userId: string): Promise<Date | undefined> {
  const [row] = await db.select({ start: uploadCounters.windowStart }).from(uploadCounters).where(eq(uploadCounters.userId, userId));
  return row ? new Date(row.start.getTime() + HOUR_MS) : undefined;
}

/** Serialises one owner's uploads, so a storage check and its insert see the same total. */
export async function lockOwnUploads(tx: DbOrTx, ownerId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`uploads:${ownerId}`}, 0))`);
}

/** Bytes the owner's own uploads hold now. */
export async function ownUploadBytes(db: DbOrTx, ownerId: string): Promise<number> {
  const [row] = await db
    .select({ bytes: sql<string>`coalesce(sum(${assets.sizeBytes}), 0)::bigint` })
    .from(assets)
    .where(and(eq(assets.ownerId, ownerId), inArray(assets.kind, [...OWN_UPLOAD_KINDS])));
  return Number(row?.bytes ?? 0);
}
