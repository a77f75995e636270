import { and, asc, count, desc, eq, gt, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { afterCursor } from '../../platform/db/keyset.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { Cursor } from '../../platform/http/pagination.ts';
import { creditBalances, creditTransactions, type CreditTransactionType } from './billing.tables.ts';
import { creditHolds, creditLots, type CreditHoldStatus } from './credits.tables.ts';

export type CreditLotRow = typeof creditLots.$inferSelect;
export type CreditHoldRow = typeof creditHolds.$inferSelect;

/** Takes the user's balance row lock: every change of one user's credits queues behind it. */
export async function lockBalance(db: DbOrTx, userId: string) {
  await db.insert(creditBalances).values({ userId }).onConflictDoNothing();
  const [row] = await db.select().from(creditBalances).where(eq(creditBalances.userId, userId)).for('update');
  return row!;
}

/** Moves credits between `available` and `held` (and counts usage) only if neither goes below 0. */
export async function shiftBalance(
  db: DbOrTx,
  userId: string,
  change: { available: number; held: number; used?: number },
  now: Date,
) {
  const [row] = await db
    .update(creditBalances)
    .set({
      available: sql`${creditBalances.available} + ${change.available}`,
      held: sql`${creditBalances.held} + ${change.held}`,
      totalUsed: sql`${creditBalances.totalUsed} + ${change.used ?? 0}`,
      updatedAt: now,
    })
    .where(
      and(
        eq(creditBalances.userId, userId),
        sql`${creditBalances.available} + ${change.available} >= 0`,
        sql`${creditBalances.held} + ${change.held} >= 0`,
      ),
    )
    .returning();
  return row;
}

export async function insertLot(db: DbOrTx, row: typeof creditLots.$inferInsert): Promise<CreditLotRow> {
  const [inserted] = await db.insert(creditLots).values(row).returning();
  return inserted!;
}

/** Lots that can still be spent, in spending order: soonest expiry first, never-expiring last. */
export async function lockSpendableLots(db: DbOrTx, userId: string, now: Date): Promise<CreditLotRow[]> {
  return db
    .select()
    .from(creditLots)
    .where(and(eq(creditLots.userId, userId), gt(creditLots.remaining, 0), or(isNull(creditLots.expiresAt), gt(creditLots.expiresAt, now))))
    .orderBy(sql`${creditLots.expiresAt} asc nulls last`, asc(creditLots.createdAt), asc(creditLots.id))
    .for('update');
}

export async function lockDueLots(db: DbOrTx, userId: string, now: Date): Promise<CreditLotRow[]> {
  return db
    .select()
    .from(creditLots)
    .where(and(eq(creditLots.userId, userId), gt(creditLots.remaining, 0), isNotNull(creditLots.expiresAt), lte(creditLots.expiresAt, now)))
    .orderBy(asc(creditLots.expiresAt), asc(creditLots.id))
    .for('update');
}

/** Adds `delta` (signed) to a lot's remaining; the CHECK keeps it within 0…amount. */
export async function changeLotRemaining(db: DbOrTx, lotId: string, delta: number): Promise<void> {
  await db
    .update(creditLots)
    .set({ remaining: sql`${creditLots.remaining} + ${delta}` })
    .where(eq(creditLots.id, lotId));
}

/** Users with lots past their expiry, for the sweeper. */
export async function usersWithDueLots(db: DbOrTx, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: creditLots.userId })
    .from(creditLots)
    .where(and(gt(creditLots.remaining, 0), isNotNull(creditLots.expiresAt), lte(creditLots.expiresAt, now)))
    .limit(limit);
  return rows.map((r) => r.userId);
}

export async function holdsPastExpiry(db: DbOrTx, now: Date, limit: number): Promise<CreditHoldRow[]> {
  return db
    .select()
    .from(creditHolds)
    .where(and(eq(creditHolds.status, 'held'), isNotNull(creditHolds.expiresAt), lte(creditHolds.expiresAt, now)))
    .limit(limit);
}

/** Inserts a hold unless its key exists; a concurrent duplicate waits here for the first to commit. */
export async function insertHoldIfNew(db: DbOrTx, row: typeof creditHolds.$inferInsert): Promise<CreditHoldRow | undefined> {
  const [inserted] = await db.insert(creditHolds).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function findHoldByKey(db: DbOrTx, key: string): Promise<CreditHoldRow | undefined> {
  const [row] = await db.select().from(creditHolds).where(eq(creditHolds.idempotencyKey, key));
  return row;
}

export async function findHold(db: DbOrTx, id: string): Promise<CreditHoldRow | undefined> {
  const [row] = await db.select().from(creditHolds).where(eq(creditHolds.id, id));
  return row;
}

export async function setHoldLots(db: DbOrTx, id: string, lots: CreditHoldRow['lots']): Promise<void> {
  await db.update(creditHolds).set({ lots }).where(eq(creditHolds.id, id));
}

/** Ends a hold once: only a row still `held` moves; the loser of a race gets undefined. */
export async function finishHold(
  db: DbOrTx,
  id: string,
  next: { status: Exclude<CreditHoldStatus, 'held'>; capturedAmount: number },
  now: Date,
): Promise<CreditHoldRow | undefined> {
  const [row] = await db
    .update(creditHolds)
    .set({ ...next, updatedAt: now })
    .where(and(eq(creditHolds.id, id), eq(creditHolds.status, 'held'), sql`${next.capturedAmount} <= ${creditHolds.amount}`))
    .returning();
  return row;
}

/** Remaining credits per future expiry date, soonest first. */
export async function expiringLots(db: DbOrTx, userId: string, now: Date, limit: number) {
  return db
    .select({ amount: sql<number>`sum(${creditLots.remaining})::int`, expiresAt: creditLots.expiresAt })
    .from(creditLots)
    .where(and(eq(creditLots.userId, userId), gt(creditLots.remaining, 0), isNotNull(creditLots.expiresAt), gt(creditLots.expiresAt, now)))
    .groupBy(creditLots.expiresAt)
    .orderBy(asc(creditLots.expiresAt))
    .limit(limit);
}

export async function listTransactions(db: DbOrTx, userId: string, type: CreditTransactionType | undefined, cursor: Cursor | undefined, limit: number) {
  return db
    .select()
    .from(creditTransactions)
    .where(
      and(
        eq(creditTransactions.userId, userId),
        type ? eq(creditTransactions.type, type) : undefined,
        afterCursor(creditTransactions.createdAt, creditTransactions.id, cursor),
      ),
    )
    .orderBy(desc(creditTransactions.createdAt), desc(creditTransactions.id))
    .limit(limit + 1);
}

export interface InvariantRow {
  user_id: string;
  available: number;
  held: number;
  ledger_sum: number;
  lots_remaining: number;
  holds_held: number;
}

/**
 * Users whose books do not balance: the ledger must sum to available + held, the lots' remaining to
 * available, and the open holds to held.
 */
export async function unbalancedUsers(db: DbOrTx, userId?: string): Promise<InvariantRow[]> {
  const only = userId ? sql`where b.user_id = ${userId}` : sql``;
  const res = (await db.execute(sql`
    select * from (
      select b.user_id, b.available, b.held,
        coalesce((select sum(t.amount) from credit_transactions t where t.user_id = b.user_id), 0)::int as ledger_sum,
        coalesce((select sum(l.remaining) from credit_lots l where l.user_id = b.user_id), 0)::int as lots_remaining,
        coalesce((select sum(h.amount) from credit_holds h where h.user_id = b.user_id and h.status = 'held'), 0)::int as holds_held
      from credit_balances b ${only}
    ) x
    where ledger_sum <> available + held or lots_remaining <> available or holds_held <> held`)) as unknown as { rows: InvariantRow[] };
  return res.rows;
}

/** How many users have a balance row (every user the invariant check looks at). */
export async function countBalances(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: count() }).from(creditBalances);
  return Number(row?.n ?? 0);
}
