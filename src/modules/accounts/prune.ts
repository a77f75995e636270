/** Housekeeping for accounts: spent codes, long-ended sessions, forgotten failure budgets, expired OAuth sign-in states. Run by the maintenance job. */
import type { DbOrTx } from '../../platform/db/types.ts';
import { deleteAttemptsBefore } from './failure-budget.queries.ts';
import { CODE_BUDGET, PASSWORD_BUDGET } from './failure-budget.ts';
import { deleteExpiredLoginStates } from './oauth.queries.ts';
import { deleteOtpsExpiredBefore } from './otps.queries.ts';
import { deleteSessionsEndedBefore } from './sessions.queries.ts';

const DAY = 86_400_000;

export async function pruneAccounts(db: DbOrTx, now: Date): Promise<{ otps: number; sessions: number; failureBudgets: number; oauthStates: number }> {
  return {
    // A day of grace keeps codes around for support questions ("did it send?").
    otps: await deleteOtpsExpiredBefore(db, new Date(now.getTime() - DAY)),
    // Ended sessions stay listed in audits for 30 days.
    sessions: await deleteSessionsEndedBefore(db, new Date(now.getTime() - 30 * DAY)),
    // A budget past its forget time counts from nothing again; its row only takes room.
    failureBudgets: await deleteAttemptsBefore(db, new Date(now.getTime() - Math.max(CODE_BUDGET.forgetAfterMs, PASSWORD_BUDGET.forgetAfterMs))),
    // A sign-in never finished leaves its state; past its ten minutes it can only be refused.
    oauthStates: await deleteExpiredLoginStates(db, now),
  };
}
