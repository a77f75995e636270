/** What other modules and the app may use of billing. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { creditsRoutes } from './credits.routes.ts';
import { createCreditsService } from './credits.service.ts';

export { createLedger, checkCreditInvariants, type Ledger, type CreditChange, type LedgerResult, type HoldRequest, type HoldResult } from './ledger.ts';
export { creditTransactionTypes, type CreditTransactionType } from './billing.tables.ts';
export { getBalance, ledgerSum, type CreditBalanceRow } from './billing.queries.ts';
export { expireCreditsJob, expireCreditsHandler, sweepExpiredCredits } from './credits.jobs.ts';

export function createBillingModule(deps: Pick<AppDeps, 'database' | 'clock'>) {
  return { credits: createCreditsService({ db: deps.database.db, clock: deps.clock }) };
}
export type BillingModule = ReturnType<typeof createBillingModule>;

export async function billingRoutes(app: FastifyInstance, billing: BillingModule): Promise<void> {
  await creditsRoutes(app, billing.credits);
}
