/**
 * The credit ledger: the one way a balance changes. The balance is available + held. Each change of
 * it updates `credit_balances` with a conditional UPDATE and appends exactly one `credit_transactions`
 * row with balance_before and balance_after, in the caller's transaction. An idempotency key makes a
 * change happen once however often it is attempted (a webhook delivered twice, a job retried).
 *
 * Credits live in lots (one per grant). Spending and holding take from the soonest-expiring lot
 * first; a lot past its expiry is written off (an `expiration` row) before anything is taken, so an
 * expired credit is never spent, whether or not the sweeper has come by yet.
 *
 * Every operation takes the user's balance row lock first, then lots, then holds: one order, so
 * concurrent changes of one user queue instead of deadlocking.
 *
 * The work is done by PL/pgSQL functions (migration 0012, decision 014): a grant or spend is one
 * statement, so one round trip, and needs no transaction of its own; holds use the same functions
 * for expiry and lot consumption.
 *
 * Each change notes its account for the request in progress, if any (platform/written-accounts.ts):
 * balance changes are not announced by the database, so the API process serving the request
 * forgets the account's cached GET /me view before answering (decision 106).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { DbOrTx, Tx } from '../../platform/db/types.ts';
import { AppError, errors } from '../../platform/http/errors.ts';
import { noteAccountWritten } from '../../platform/written-accounts.ts';
import type { CreditTransactionType } from './credits.tables.ts';
import * as cq from './credits.queries.ts';
import type { LotAllocation } from './credits.tables.ts';

export interface CreditChange {
  userId: string;
  type: CreditTransactionType;
  /** Signed: positive grants, negative spends. Never 0. */
  amount: number;
  /** Unique across the ledger, e.g. `signup:<user id>` or `payment:<payment id>`. */
  idempotencyKey: string;
  /** Grants only: when the granted credits stop being spendable (never, if absent). */
  expiresAt?: Date | null;
  description?: string;
  referenceType?: string;
  referenceId?: string;
  metadata?: Record<string, unknown>;
}

export interface LedgerResult {
  transaction: cq.CreditTransactionRow;
  /** False when the key had been applied before and nothing changed now. */
  applied: boolean;
}

export interface HoldRequest {
  userId: string;
  amount: number;
  idempotencyKey: string;
  referenceType?: string;
  referenceId?: string;
  /** After this the expiry sweeper releases the hold as `expired`. */
  expiresAt?: Date | null;
}

export interface HoldResult {
  hold: cq.CreditHoldRow;
  /** False when the hold existed (same key) or had already ended; nothing changed now. */
  applied: boolean;
}

/** Types that count towards total_purchased when positive. */
const PURCHASE_TYPES: ReadonlySet<CreditTransactionType> = new Set(['purchase', 'subscription_grant', 'gift_card']);
const USAGE_TYPES: ReadonlySet<CreditTransactionType> = new Set(['usage', 'training']);

function wholePositive(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n <= 0) throw new AppError('validation_failed', `${what} must be a positive whole number.`);
}

export function createLedger(deps: { clock: Clock }) {
  /** Gives `amount` back to the lots a hold took from, the last taken (latest expiry) first. */
  async function returnToLots(tx: Tx, lots: LotAllocation[], amount: number): Promise<void> {
    let left = amount;
    for (const a of [...lots].reverse()) {
      if (left === 0) break;
      const n = Math.min(left, a.amount);
      await cq.changeLotRemaining(tx, a.lot_id, n);
      left -= n;
    }
  }

  /**
   * One statement (`credit_apply`, migration 0012): with a transaction it joins it; with the
   * database it is atomic on its own and needs no BEGIN/COMMIT.
   */
  async function apply(db: DbOrTx, change: CreditChange): Promise<LedgerResult> {
    if (!Number.isSafeInteger(change.amount) || change.amount === 0) {
      throw new AppError('validation_failed', 'A credit change must be a non-zero whole number.');
    }
    const result = await cq.applyCreditChange(db, {
      id: randomUUID(),
      userId: change.userId,
      type: change.type,
      amount: change.amount,
      idempotencyKey: change.idempotencyKey,
      expiresAt: change.amount > 0 ? (change.expiresAt ?? null) : null,
      description: change.description ?? null,
      referenceType: change.referenceType ?? null,
      referenceId: change.referenceId ?? null,
      metadata: change.metadata ?? {},
      purchased: change.amount > 0 && PURCHASE_TYPES.has(change.type) ? change.amount : 0,
      used: change.amount < 0 && USAGE_TYPES.has(change.type) ? -change.amount : 0,
      now: deps.clock.now(),
    });
    if (result.outcome === 'insufficient') throw new AppError('insufficient_credits', 'There are not enough credits for this.');
    noteAccountWritten(change.userId);
    return { transaction: result.transaction, applied: result.outcome === 'applied' };
  }

  /**
   * Ends a hold: `capture` of its amount (all of it if absent) becomes usage, the rest goes back to
   * available.
   */
  async function finish(tx: Tx, holdId: string, status: 'captured' | 'released' | 'expired', capture?: number): Promise<HoldResult> {
    const current = await cq.findHold(tx, holdId);
    if (!current) throw errors.notFound('Credit hold');
    const captured = capture ?? current.amount;
    const now = deps.clock.now();
    await cq.lockBalance(tx, current.userId);
    const hold = await cq.finishHold(tx, holdId, { status, capturedAmount: captured }, now);
    if (!hold) {
      const again = await cq.findHold(tx, holdId);
      if (again!.status === 'held') throw errors.validation([{ path: 'amount', message: 'more than the hold holds' }]);
      return { hold: again!, applied: false };
    }
    const back = hold.amount - captured;
    const after = await cq.shiftBalance(tx, hold.userId, { available: back, held: -hold.amount, used: captured }, now);
    noteAccountWritten(hold.userId);
    if (!after) throw new Error(`credit hold ${hold.id} holds more than the balance has held`);
    if (back > 0) {
      await returnToLots(tx, hold.lots, back);
      await cq.expireDueLots(tx, hold.userId, now);
    }
    if (captured > 0) {
      const balanceAfter = after.available + after.held;
      await cq.insertTransaction(tx, {
        userId: hold.userId,
        type: 'usage',
        amount: -captured,
        balanceBefore: balanceAfter + captured,
        balanceAfter,
        description: 'Credits used',
        referenceType: hold.referenceType,
        referenceId: hold.referenceId,
        idempotencyKey: `capture:${hold.id}`,
        metadata: { hold_id: hold.id, held: hold.amount },
        createdAt: now,
      });
    }
    return { hold, applied: true };
  }

  return {
    /**
     * Applies one change, inside the caller's transaction or on its own (pass the database).
     * Throws 402 insufficient_credits if it would overdraw, having changed nothing.
     */
    apply,

    /** Adds credits as a new lot; `expiresAt` bounds when they can be spent. */
    grant: (db: DbOrTx, change: CreditChange): Promise<LedgerResult> => {
      wholePositive(change.amount, 'A grant');
      return apply(db, change);
    },

    /** Takes `amount` (positive) at once: one `usage` (or given type) row. 402 when too few. */
    spend: (db: DbOrTx, change: Omit<CreditChange, 'type' | 'expiresAt'> & { type?: CreditTransactionType }): Promise<LedgerResult> => {
      wholePositive(change.amount, 'A spend');
      return apply(db, { ...change, type: change.type ?? 'usage', amount: -change.amount });
    },

    /**
     * Sets `amount` aside from available (conditional UPDATE … WHERE available >= n). The balance
     * does not change, so no ledger row is written; the capture writes it. 402 when too few.
     */
    async hold(tx: Tx, req: HoldRequest): Promise<HoldResult> {
      wholePositive(req.amount, 'A hold');
      const now = deps.clock.now();
      await cq.lockBalance(tx, req.userId);
      const hold = await cq.insertHoldIfNew(tx, {
        userId: req.userId,
        amount: req.amount,
        idempotencyKey: req.idempotencyKey,
        referenceType: req.referenceType,
        referenceId: req.referenceId,
        expiresAt: req.expiresAt ?? null,
        createdAt: now,
        updatedAt: now,
      });
      if (!hold) return { hold: (await cq.findHoldByKey(tx, req.idempotencyKey))!, applied: false };
      await cq.expireDueLots(tx, req.userId, now);
      const after = await cq.shiftBalance(tx, req.userId, { available: -req.amount, held: req.amount }, now);
      if (!after) throw new AppError('insufficient_credits', 'There are not enough credits for this.');
      noteAccountWritten(req.userId);
      const lots = await cq.takeFromLots(tx, req.userId, req.amount, now);
      await cq.setHoldLots(tx, hold.id, lots);
      return { hold: { ...hold, lots }, applied: true };
    },

    /** Uses `amount` of the hold (all of it if absent) and releases the rest; at most once. */
    capture(tx: Tx, holdId: string, amount?: number): Promise<HoldResult> {
      if (amount !== undefined && (!Number.isSafeInteger(amount) || amount < 0)) {
        throw errors.validation([{ path: 'amount', message: 'must be a whole number ≥ 0' }]);
      }
      return finish(tx, holdId, 'captured', amount);
    },

    /** Gives the whole hold back; at most once. */
    release: (tx: Tx, holdId: string): Promise<HoldResult> => finish(tx, holdId, 'released', 0),

    /** Releases a hold that outlived its expiry (the sweeper's way of ending it). */
    expireHold: (tx: Tx, holdId: string): Promise<HoldResult> => finish(tx, holdId, 'expired', 0),

    /** Writes off the user's lots past expiry (the sweeper calls it; spends and holds do it first). */
    async expireLots(tx: Tx, userId: string): Promise<number> {
      await cq.lockBalance(tx, userId);
      noteAccountWritten(userId);
      return cq.expireDueLots(tx, userId, deps.clock.now());
    },

    balance: (db: DbOrTx, userId: string) => cq.getBalance(db, userId),
  };
}

export type Ledger = ReturnType<typeof createLedger>;

/** Users whose books do not balance (empty when all is well); see `unbalancedUsers`. */
export const checkCreditInvariants = (db: DbOrTx, userId?: string) => cq.unbalancedUsers(db, userId);
