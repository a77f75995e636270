/**
 * Credit spends against a bare conditional UPDATE of the same balance row, at 1, 8 and 32
 * concurrent callers, on each database it is given (PGlite always; PostgreSQL as well when
 * TEST_DATABASE_URL is set, in a throwaway copy of the test template).
 *
 * - "standalone": `ledger.spend(db, …)`, one statement that is its own transaction — the target is
 *   ≥ 0.5 × the bare UPDATE (decision 014).
 * - "in a transaction": `db.transaction((tx) => ledger.spend(tx, …))`, what a caller with its own
 *   transaction pays (BEGIN and COMMIT are two more round trips).
 * - "the bare UPDATE in a transaction": the same UPDATE as the baseline, alone in a caller's
 *   transaction — the most any spend there could reach, since a spend writes at least that row.
 *   What separates it from the spend is the ledger row and the lot update (decision 014).
 *
 * The bare UPDATE sets updated_at rather than taking a credit, so the books still balance and
 * `checkCreditInvariants` can check every row afterwards; its cost is that of the decrement (one
 * conditional, HOT update of the row). On PGlite (one connection) concurrent callers queue; on
 * PostgreSQL they run in parallel through the pool and queue on the row lock.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../src/platform/db/database.ts';
import type { DbOrTx } from '../src/platform/db/types.ts';
import { users } from '../src/schema.ts';
import { checkCreditInvariants, createLedger } from '../src/modules/billing/index.ts';
import { pairedOpsPerSec } from './measure.ts';

export async function ledgerBench(database: Database): Promise<{ lines: string[]; ok: boolean }> {
  const { db } = database;
  const ledger = createLedger({ clock: { now: () => new Date() } });
  const [user] = await db.insert(users).values({ email: `bench-${Date.now()}@example.com` }).returning({ id: users.id });
  const userId = user!.id;
  await ledger.grant(db, { userId, type: 'bonus', amount: 100_000_000, idempotencyKey: `bench:stock:${userId}` });
  let seq = 0;
  // Each is run on the database (its own transaction) or in a caller's transaction.
  const bareUpdate = (q: DbOrTx) => q.execute(sql`update credit_balances set updated_at = now() where user_id = ${userId} and available >= 1`);
  const spendOne = (q: DbOrTx) => ledger.spend(q, { userId, amount: 1, idempotencyKey: `bench:spend:${userId}:${++seq}` });
  const bare = () => bareUpdate(db);
  const standalone = () => spendOne(db);
  const inTransaction = () => db.transaction(spendOne);
  const bareInTransaction = () => db.transaction(bareUpdate);

  const lines: string[] = [];
  for (const callers of [1, 8, 32]) {
    const runs = [
      ['ledger.spend standalone', standalone],
      ['ledger.spend in a transaction', inTransaction],
      ['the bare UPDATE in a transaction (the most a spend there could reach)', bareInTransaction],
    ] as const;
    for (const [what, fn] of runs) {
      const r = await pairedOpsPerSec(callers, fn, bare);
      lines.push(
        `[${database.kind}] ${what}, ${callers} caller(s): ${r.ops.toFixed(0)} ops/s = ${(r.ops / r.baselineOps).toFixed(2)} × bare conditional UPDATE (${r.baselineOps.toFixed(0)} ops/s)`,
      );
    }
  }
  const unbalanced = await checkCreditInvariants(db);
  lines.push(unbalanced.length === 0 ? `[${database.kind}] credit invariants: hold` : `[${database.kind}] credit invariants BROKEN: ${JSON.stringify(unbalanced)}`);
  return { lines, ok: unbalanced.length === 0 };
}
