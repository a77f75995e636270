/** Housekeeping for accounts: spent codes and long-ended sessions. Run by the maintenance job. */
import type { DbOrTx } from '../../platform/db/types.ts';
import { deleteOtpsExpiredBefore } from './otps.queries.ts';
import { deleteSessionsEndedBefore } from './sessions.queries.ts';

const DAY = 86_400_000;

export async function pruneAccounts(db: DbOrTx, now: Date): Promise<{ otps: number; sessions: number }> {
  return {
    // A day of grace keeps codes around for support questions ("did it send?").
    otps: await deleteOtpsExpiredBefore(db, new Date(now.getTime() - DAY)),
    // Ended sessions stay listed in audits for 30 days.
    sessions: await deleteSessionsEndedBefore(db, new Date(now.getTime() - 30 * DAY)),
  };
}
