import { and, asc, count, desc, eq, gt, isNotNull, lte, sql } from 'drizzle-orm';
import { afterCursor } from '../../platform/db/keyset.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { Cursor } from '../../platform/http/pagination.ts';
import { users } from '../accounts/index.ts';
import { creditBalances, creditHolds, creditLots, creditTransactions, type CreditHoldStatus, type CreditTransactionType, type LotAllocation } from './credits.tables.ts';

export type CreditBalanceRow = typeof creditBalances.$inferSelect;
export type CreditTransactionRow = typeof creditTransactions.$inferSelect;
export type NewCreditTransaction = typeof creditTransactions.$inferInsert;

export async function ensureBalanceRow(db: DbOrTx, userId: string): Promise<void> {
  await db.insert(creditBalances).values({ userId }).onConflictDoNothing();
}

export async function getBalance(db: DbOrTx, userId: string): Promise<CreditBalanceRow | undefined> {
  const [row] = await db.select().from(creditBalances).where(eq(creditBalances.userId, userId));
  return row;
}

export async function insertTransaction(db: DbOrTx, row: NewCreditTransaction): Promise<CreditTransactionRow> {
  const [inserted] = await db.insert(creditTransactions).values(row).returning();
  return inserted!;
}

/** Sum of a user's ledger; equals available + held when the books balance. */
export async function ledgerSum(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db
    .select({ total: sql<string>`coalesce(sum(${creditTransactions.amount}), 0)` })
    .from(creditTransactions)
    .where(eq(creditTransactions.userId, userId));
  return Number(row?.total ?? 0);
}

export async function userExists(db: DbOrTx, userId: string): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  return rows.length > 0;
}


export type CreditLotRow = typeof creditLots.$inferSelect;
export type CreditHoldRow = typeof creditHolds.$inferSelect;

export interface CreditChangeParams {
  /** Of the new ledger row: made here, so the statement need not send the row back. */
  id: string;
  userId: string;
  type: CreditTransactionType;
  amount: number;
  idempotencyKey: string;
  expiresAt: Date | null;
  description: string | null;
  referenceType: string | null;
  referenceId: string | null;
  metadata: Record<string, unknown>;
  /** What to add to total_purchased and total_used. */
  purchased: number;
  used: number;
  now: Date;
}

export type CreditChangeOutcome =
  | { outcome: 'applied' | 'replayed'; transaction: CreditTransactionRow }
  | { outcome: 'insufficient' };

/** A ledger row as `to_jsonb(credit_transactions)` renders it. */
function transactionFromJson(j: Record<string, any>): CreditTransactionRow {
  return {
    id: j.id,
    userId: j.user_id,
    type: j.type,
    amount: j.amount,
    balanceBefore: j.balance_before,
    balanceAfter: j.balance_after,
    description: j.description,
    referenceType: j.reference_type,
    referenceId: j.reference_id,
    idempotencyKey: j.idempotency_key,
    metadata: j.metadata,
    createdAt: new Date(j.created_at),
  };
}

/**
 * One grant or spend in one statement (the `credit_apply` function of migration 0012): balance
 * lock, idempotency key, expiry, balance, ledger row and lots. Atomic on its own, so `db` works as
 * well as a transaction.
 */
export async function applyCreditChange(db: DbOrTx, p: CreditChangeParams): Promise<CreditChangeOutcome> {
  // What jsonb keeps of the metadata (no undefined, dates as strings), as a read would give it.
  const metadata = JSON.parse(JSON.stringify(p.metadata)) as Record<string, unknown>;
  const change = JSON.stringify({
    id: p.id,
    user_id: p.userId,
    type: p.type,
    amount: p.amount,
    idempotency_key: p.idempotencyKey,
    expires_at: p.expiresAt?.toISOString() ?? null,
    description: p.description,
    reference_type: p.referenceType,
    reference_id: p.referenceId,
    metadata,
    purchased: p.purchased,
    used: p.used,
    now: p.now.toISOString(),
  });
  const res = (await db.execute(sql`select outcome, balance_after, entry from credit_apply(${change}::jsonb)`)) as unknown as {
    rows: { outcome: 'applied' | 'replayed' | 'insufficient'; balance_after: number | null; entry: Record<string, any> | null }[];
  };
  const row = res.rows[0]!;
  if (row.outcome === 'insufficient') return { outcome: 'insufficient' };
  if (row.outcome === 'replayed') return { outcome: 'replayed', transaction: transactionFromJson(row.entry!) };
  const balanceAfter = row.balance_after!;
  return {
    outcome: 'applied',
    // The row as written: the statement sends back only what the database decided.
    transaction: {
      id: p.id,
      userId: p.userId,
      type: p.type,
      amount: p.amount,
      balanceBefore: balanceAfter - p.amount,
      balanceAfter,
      description: p.description,
      referenceType: p.referenceType,
      referenceId: p.referenceId,
      idempotencyKey: p.idempotencyKey,
      metadata,
      createdAt: p.now,
    },
  };
}

/** Writes off the user's lots past expiry (`credit_expire_due`); the caller holds the balance lock. */
export async function expireDueLots(db: DbOrTx, userId: string, now: Date): Promise<number> {
  const res = (await db.execute(sql`select credit_expire_due(${userId}::uuid, ${now.toISOString()}::timestamptz) as n`)) as unknown as {
    rows: { n: number }[];
  };
  return res.rows[0]!.n;
}

/** Takes `amount` from the spendable lots in order (`credit_take_from_lots`); the caller holds the balance lock. */
export async function takeFromLots(db: DbOrTx, userId: string, amount: number, now: Date): Promise<LotAllocation[]> {
  const res = (await db.execute(sql`select credit_take_from_lots(${userId}::uuid, ${amount}::int, ${now.toISOString()}::timestamptz) as lots`)) as unknown as {
    rows: { lots: LotAllocation[] }[];
  };
  return res.rows[0]!.lots;
}

/** Takes the user's balance row lock: every change of one user's credits queues behind it. */
export async function lockBalance(db: DbOrTx, userId: string) {
  await ensureBalanceRow(db, userId);
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
