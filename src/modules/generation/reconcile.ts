/**
 * The backstop for runs that never finished: a worker killed mid-run, a job whose retries ran out
 * during a shutdown, a queue that was down. Anything still open some time after its deadline is
 * failed (`timeout`) and its hold released. A worker still running it will find the row taken and
 * store nothing; the grace keeps the reconciler from racing a worker's own deadline handling.
 */
import type { GenerationContext } from './context.ts';
import { findOverdue, lockGeneration } from './generation.queries.ts';
import { createSettlement } from './settle.ts';

export const RECONCILE_GRACE_MS = 30_000;
const BATCH = 100;

export async function reconcileOverdue(ctx: GenerationContext): Promise<number> {
  const settlement = createSettlement(ctx);
  const before = new Date(ctx.clock.now().getTime() - RECONCILE_GRACE_MS);
  let failed = 0;
  for (const overdue of await findOverdue(ctx.db, before, BATCH)) {
    const row = await ctx.db.transaction(async (tx) => {
      const current = await lockGeneration(tx, overdue.id);
      if (!current || current.deadlineAt >= before) return undefined;
      return settlement.fail(tx, current, { code: 'timeout', message: 'The generation did not finish before its deadline.' });
    });
    if (row) {
      failed++;
      await ctx.bus.publish({ id: row.id, status: row.status });
    }
  }
  return failed;
}
