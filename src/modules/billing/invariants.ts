/** The credit invariant report over all users, for operators (GET /admin/system). */
import type { DbOrTx } from '../../platform/db/types.ts';
import * as cq from './credits.queries.ts';

const SHOWN = 100;

export async function creditInvariantReport(db: DbOrTx) {
  const [checked, violations] = await Promise.all([cq.countBalances(db), cq.unbalancedUsers(db)]);
  return {
    ok: violations.length === 0,
    checked_users: checked,
    violation_count: violations.length,
    /** The first 100; a larger number says something systematic, which the first ones show. */
    violations: violations.slice(0, SHOWN),
  };
}
export type CreditInvariantReport = Awaited<ReturnType<typeof creditInvariantReport>>;
