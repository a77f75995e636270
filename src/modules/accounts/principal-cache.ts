/**
 * Who a credential belongs to, remembered per process so most requests authenticate without the
 * database (decision 070). Instant revocation is kept by forgetting, not by expiry
 * (forgetting-cache.ts):
 * - every change that can end a credential (a revoked session or key, a disabled, demoted, erased
 *   or re-passworded user) is announced on commit with the user's id, and every process forgets all
 *   it holds for that user (`forgetUser`); the process that made the change forgets at once too;
 * - while the announcements cannot be heard (no listener yet, or its connection lost), the cache is
 *   off: nothing is served from it and nothing is stored; when they can again it starts empty;
 * - a lookup that raced a forget does not store its (possibly older) answer: every forget bumps a
 *   version, and `set` refuses an answer read under an older one.
 * The TTL only bounds how long an entry lives if all of that somehow failed.
 */
import type { Principal } from '../../platform/http/auth.ts';
import { createForgettingCache, type ForgettingCache } from './forgetting-cache.ts';

export type CachedPrincipal = Omit<Principal, 'via'>;

export interface PrincipalEntry {
  principal: CachedPrincipal;
  /** Past this the entry is not served: the TTL, and the token's or session's own end. */
  expiresAtMs: number;
  /** When the credential's last_used_at was last bumped (it is kept to the minute). */
  lastUsedAtMs: number | null;
}

export type PrincipalCache = ForgettingCache<PrincipalEntry>;

/** Keyed by the credential as presented; an announcement about its user forgets it. */
export function createPrincipalCache(opts: { ttlSec: number; maxEntries?: number }): PrincipalCache {
  return createForgettingCache<PrincipalEntry>({ ...opts, userOf: (_credential, entry) => entry.principal.userId });
}
