import { eq, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { authFailures } from './accounts.tables.ts';

export interface BudgetPolicy {
  free: number;
  firstWaitMs: number;
  maxWaitMs: number;
  forgetAfterMs: number;
}

/**
 * Spends one attempt of `key`'s budget in one statement, so parallel attempts each count (the row
 * lock of the upsert orders them). Returns the attempts spent, or undefined when the key is blocked
 * (nothing is spent then). From the `free`-th attempt on, each one blocks the next for a wait that
 * doubles up to `maxWaitMs`; a success clears the row.
 */
export async function spendAttempt(db: DbOrTx, key: string, now: Date, p: BudgetPolicy): Promise<number | undefined> {
  const forgotten = new Date(now.getTime() - p.forgetAfterMs);
  const failures = sql`case when ${authFailures.lastFailedAt} < ${forgotten.toISOString()}::timestamptz then 1 else ${authFailures.failures} + 1 end`;
  const wait = (n: ReturnType<typeof sql>) =>
    sql`case when ${n} >= ${p.free} then ${now.toISOString()}::timestamptz + least(${p.firstWaitMs}::float8 * power(2, ${n} - ${p.free}), ${p.maxWaitMs}) * interval '1 millisecond' end`;
  const [row] = await db
    .insert(authFailures)
    .values({ key, failures: 1, lastFailedAt: now, blockedUntil: p.free <= 1 ? new Date(now.getTime() + p.firstWaitMs) : null })
    .onConflictDoUpdate({
      target: authFailures.key,
      set: { failures, lastFailedAt: now, blockedUntil: wait(failures) },
      setWhere: sql`${authFailures.blockedUntil} is null or ${authFailures.blockedUntil} <= ${now.toISOString()}::timestamptz`,
    })
    .returning({ failures: authFailures.failures });
  return row?.failures;
}

export async function blockedUntil(db: DbOrTx, key: string): Promise<Date | undefined> {
  const [row] = await db.select({ until: authFailures.blockedUntil }).from(authFailures).where(eq(authFailures.key, key));
  return row?.until ?? undefined;
}

export async function clearAttempts(db: DbOrTx, key: string): Promise<void> {
  await db.delete(authFailures).where(eq(authFailures.key, key));
}

export async function deleteAttemptsBefore(db: DbOrTx, before: Date): Promise<number> {
  const rows = await db.delete(authFailures).where(lt(authFailures.lastFailedAt, before)).returning({ key: authFailures.key });
  return rows.length;
}
