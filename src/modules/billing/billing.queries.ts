import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { creditBalances, creditTransactions } from './billing.tables.ts';
import { users } from '../accounts/accounts.tables.ts';

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
