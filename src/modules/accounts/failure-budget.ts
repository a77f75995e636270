/**
 * Failure budgets for guessable secrets (decision 091). Per-IP limits alone let a spread-out
 * attacker guess one account's 6-digit code about 3,600 times a day and its password without end.
 * Here each password-login identifier and each code destination has its own budget, shared by every
 * IP and every node (it lives in the database): a few attempts are free, then each further one
 * makes the next wait, doubling up to an hour — about 40 guesses a day at most. A success clears it.
 *
 * Attempts are spent before the secret is checked, in one statement, so a burst in parallel cannot
 * slip past the count. Unknown identifiers spend budgets exactly as known ones do: the answers and
 * their timing say nothing about which accounts exist. The key is an HMAC of the identifier, so the
 * table holds no email or phone in clear.
 */
import { hmacHex } from '../../platform/crypto.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import { errors } from '../../platform/http/errors.ts';
import { blockedUntil, spendAttempt, type BudgetPolicy } from './failure-budget.queries.ts';

export { clearAttempts } from './failure-budget.queries.ts';

const MINUTE = 60_000;

/** Two codes' worth of wrong tries (a code burns after 5) before any wait. */
export const CODE_BUDGET: BudgetPolicy = { free: 10, firstWaitMs: MINUTE, maxWaitMs: 60 * MINUTE, forgetAfterMs: 24 * 60 * MINUTE };
export const PASSWORD_BUDGET: BudgetPolicy = { free: 10, firstWaitMs: MINUTE, maxWaitMs: 60 * MINUTE, forgetAfterMs: 24 * 60 * MINUTE };

export const budgetKey = (secret: string, kind: 'password' | 'code', identifier: string) => hmacHex(secret, `budget:${kind}:${identifier}`);

/** Spends one attempt, or throws 429 `rate_limited` with the seconds until the next is allowed. */
export async function spendOrRefuse(db: DbOrTx, key: string, now: Date, policy: BudgetPolicy): Promise<void> {
  if ((await spendAttempt(db, key, now, policy)) !== undefined) return;
  const until = await blockedUntil(db, key);
  throw errors.rateLimited(Math.max(1, Math.ceil(((until?.getTime() ?? now.getTime()) - now.getTime()) / 1000)));
}
