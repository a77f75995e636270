/** What the credit endpoints show: the balance with what expires soon, and the ledger. */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import { decodeCursor, toPage } from '../../platform/http/pagination.ts';
import type { TCredits, TCreditTransaction, TTransactionsQuery } from './credits.dto.ts';
import * as cq from './credits.queries.ts';

const EXPIRING_SHOWN = 20;

export function createCreditsService(deps: { db: Db; clock: Clock }) {
  async function summary(userId: string): Promise<TCredits> {
    const [balance, expiring] = await Promise.all([cq.getBalance(deps.db, userId), cq.expiringLots(deps.db, userId, deps.clock.now(), EXPIRING_SHOWN)]);
    return {
      available: balance?.available ?? 0,
      held: balance?.held ?? 0,
      total_purchased: balance?.totalPurchased ?? 0,
      total_used: balance?.totalUsed ?? 0,
      expiring: expiring.map((e) => ({ amount: Number(e.amount), expires_at: e.expiresAt!.toISOString() })),
    };
  }

  async function transactions(userId: string, query: TTransactionsQuery) {
    const rows = await cq.listTransactions(deps.db, userId, query.type, decodeCursor(query.cursor), query.limit);
    const page = toPage(rows, query.limit, (r) => r);
    return { data: page.data.map(view), next_cursor: page.next_cursor };
  }

  return { summary, transactions };
}

export type CreditsService = ReturnType<typeof createCreditsService>;

function view(r: cq.CreditTransactionRow): TCreditTransaction {
  return {
    id: r.id,
    type: r.type,
    amount: r.amount,
    balance_before: r.balanceBefore,
    balance_after: r.balanceAfter,
    description: r.description,
    reference_type: r.referenceType,
    reference_id: r.referenceId,
    created_at: r.createdAt.toISOString(),
  };
}
