import { and, desc, eq, gte, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { otps, type OtpPurpose } from './accounts.tables.ts';

export type OtpRow = typeof otps.$inferSelect;

export async function insertOtp(db: DbOrTx, row: typeof otps.$inferInsert): Promise<OtpRow> {
  const [inserted] = await db.insert(otps).values(row).returning();
  return inserted!;
}

/** The newest unconsumed code for a destination and purpose, locked for the check. */
export async function findLatestOpenOtp(db: DbOrTx, destination: string, purpose: OtpPurpose): Promise<OtpRow | undefined> {
  const [row] = await db
    .select()
    .from(otps)
    .where(and(eq(otps.destination, destination), eq(otps.purpose, purpose), isNull(otps.consumedAt)))
    .orderBy(desc(otps.createdAt), desc(otps.id))
    .limit(1)
    .for('update');
  return row;
}

/** A new code replaces older ones: only the latest can be used. */
export async function consumeOpenOtps(db: DbOrTx, destination: string, purpose: OtpPurpose, now: Date): Promise<void> {
  await db
    .update(otps)
    .set({ consumedAt: now })
    .where(and(eq(otps.destination, destination), eq(otps.purpose, purpose), isNull(otps.consumedAt)));
}

export async function incrementOtpAttempts(db: DbOrTx, id: string): Promise<number> {
  const [row] = await db
    .update(otps)
    .set({ attemptCount: sql`${otps.attemptCount} + 1` })
    .where(eq(otps.id, id))
    .returning({ attemptCount: otps.attemptCount });
  return row?.attemptCount ?? 0;
}

export async function consumeOtp(db: DbOrTx, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(otps)
    .set({ consumedAt: now })
    .where(and(eq(otps.id, id), isNull(otps.consumedAt)))
    .returning({ id: otps.id });
  return rows.length > 0;
}

/** How many codes were sent to a destination since `since` (a per-destination send limit). */
/**
 * Codes sent lately, in one statement: to `destination` since `windowStart` and since `dayStart`,
 * and to the account since `dayStart` (the send limits of otp.service.ts).
 */
export async function countRecentOtps(db: DbOrTx, destination: string, userId: string, windowStart: Date, dayStart: Date) {
  const n = (where: SQL) => sql<string>`count(*) filter (where ${where})`;
  const [row] = await db
    .select({
      destinationWindow: n(and(eq(otps.destination, destination), gte(otps.createdAt, windowStart))!),
      destinationDay: n(eq(otps.destination, destination)),
      accountDay: n(eq(otps.userId, userId)),
    })
    .from(otps)
    .where(and(or(eq(otps.destination, destination), eq(otps.userId, userId)), gte(otps.createdAt, dayStart)));
  return { destinationWindow: Number(row?.destinationWindow ?? 0), destinationDay: Number(row?.destinationDay ?? 0), accountDay: Number(row?.accountDay ?? 0) };
}

/** Codes that expired before `before` are of no further use to anyone. */
export async function deleteOtpsExpiredBefore(db: DbOrTx, before: Date): Promise<number> {
  const rows = await db.delete(otps).where(lt(otps.expiresAt, before)).returning({ id: otps.id });
  return rows.length;
}

export async function findOtpById(db: DbOrTx, id: string): Promise<OtpRow | undefined> {
  const [row] = await db.select().from(otps).where(eq(otps.id, id));
  return row;
}
