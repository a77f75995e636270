/**
 * The credit ledger: the one way a balance changes. Each change updates `credit_balances` with a
 * conditional UPDATE and appends exactly one `credit_transactions` row with balance_before and
 * balance_after, in the caller's transaction. An idempotency key makes a change happen once however
 * often it is attempted (a webhook delivered twice, a job retried).
 */
import { AppError } from '../../platform/http/errors.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Tx } from '../../platform/db/types.ts';
import type { CreditTransactionType } from './billing.tables.ts';
import * as q from './billing.queries.ts';

export interface CreditChange {
  userId: string;
  type: CreditTransactionType;
  /** Signed: positive grants, negative spends. Never 0. */
  amount: number;
  /** Unique across the ledger, e.g. `signup:<user id>` or `payment:<payment id>`. */
  idempotencyKey: string;
  description?: string;
  referenceType?: string;
  referenceId?: string;
  metadata?: Record<string, unknown>;
}

export interface LedgerResult {
  transaction: q.CreditTransactionRow;
  /** False when the key had been applied before and nothing changed now. */
  applied: boolean;
}

/** Types that count towards total_purchased when positive. */
const PURCHASE_TYPES: ReadonlySet<CreditTransactionType> = new Set(['purchase', 'subscription_grant', 'gift_card']);

export function createLedger(deps: { clock: Clock }) {
  return {
    /** Applies one change inside `tx`. Throws 402 insufficient_credits if it would overdraw. */
    async apply(tx: Tx, change: CreditChange): Promise<LedgerResult> {
      if (!Number.isSafeInteger(change.amount) || change.amount === 0) {
        throw new AppError('validation_failed', 'A credit change must be a non-zero whole number.');
      }
      const previous = await q.findTransactionByKey(tx, change.idempotencyKey);
      if (previous) return { transaction: previous, applied: false };

      await q.ensureBalanceRow(tx, change.userId);
      const totals = {
        purchased: change.amount > 0 && PURCHASE_TYPES.has(change.type) ? change.amount : 0,
        used: change.amount < 0 && (change.type === 'usage' || change.type === 'training') ? -change.amount : 0,
      };
      const after = await q.changeAvailable(tx, change.userId, change.amount, totals, deps.clock.now());
      if (!after) throw new AppError('insufficient_credits', 'There are not enough credits for this.');
      const balanceAfter = after.available + after.held;
      const transaction = await q.insertTransaction(tx, {
        userId: change.userId,
        type: change.type,
        amount: change.amount,
        balanceBefore: balanceAfter - change.amount,
        balanceAfter,
        description: change.description,
        referenceType: change.referenceType,
        referenceId: change.referenceId,
        idempotencyKey: change.idempotencyKey,
        metadata: change.metadata ?? {},
        createdAt: deps.clock.now(),
      });
      return { transaction, applied: true };
    },

    balance: (db: Parameters<typeof q.getBalance>[0], userId: string) => q.getBalance(db, userId),
  };
}

export type Ledger = ReturnType<typeof createLedger>;
