export { createLedger, type Ledger, type CreditChange, type LedgerResult } from './ledger.ts';
export { creditTransactionTypes, type CreditTransactionType } from './billing.tables.ts';
export { getBalance, ledgerSum, type CreditBalanceRow } from './billing.queries.ts';
