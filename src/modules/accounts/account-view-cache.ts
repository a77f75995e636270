/**
 * The account view GET /me answers with, remembered per API process so a signed-in client's most
 * frequent request needs no query (decision 106). Freshness is kept by forgetting, not by expiry,
 * as for principals (forgetting-cache.ts, decision 070):
 * - every commit that changes what the view shows but the balance (the user row, subscription, a
 *   plan, vendor profile, the avatar's asset) is announced by migration 0027's triggers with the
 *   user's id, or '*' for a plan, and every process forgets that user's view (or all of them);
 * - the balance is not announced: the process whose request changed it forgets at once, and the
 *   caller re-reads a balance older than it accepts (`balanceReadAt`);
 * - while announcements cannot be heard the cache is off, and it starts empty when they can again;
 * - a read that raced a forget does not store its (possibly older) answer: every forget bumps a
 *   version, and `set` refuses a view read under an older one.
 * Expiry only bounds what changes without a write: the subscription's period ending, the avatar
 * link's lifetime, and the TTL as a last resort.
 */
import type { TUser } from './accounts.dto.ts';
import { createForgettingCache, type ForgettingCache } from './forgetting-cache.ts';

export interface CachedAccountView {
  view: TUser;
  /** Past this (the clock's time) the view is not served: its own bounds and the TTL. */
  expiresAtMs: number;
  /** When its balance was read, on a monotonic clock (performance.now()). */
  balanceReadAt: number;
}

/** Keyed by the user's id. */
export type AccountViewCache = ForgettingCache<CachedAccountView>;

export function createAccountViewCache(opts: { ttlSec: number; maxEntries?: number }): AccountViewCache {
  return createForgettingCache<CachedAccountView>({ ...opts, userOf: (userId) => userId });
}
