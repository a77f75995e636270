/**
 * The account view GET /me answers with, remembered per API process so a signed-in client's most
 * frequent request needs no query (decision 106). Freshness is kept by forgetting, not by expiry,
 * as for principals (principal-cache.ts, decision 070):
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

export interface CachedAccountView {
  view: TUser;
  /** Past this (the clock's time) the view is not served: its own bounds and the TTL. */
  expiresAtMs: number;
  /** When its balance was read, on a monotonic clock (performance.now()). */
  balanceReadAt: number;
}

export interface AccountViewCache {
  /** The live view of a user, or undefined (also whenever the cache is off). */
  get(userId: string, nowMs: number): CachedAccountView | undefined;
  /** Taken before reading the database; `set` stores only if nothing was forgotten since. */
  version(): number;
  set(userId: string, entry: CachedAccountView, readAt: number, nowMs: number): void;
  forgetUser(userId: string): void;
  forgetAll(): void;
  /** Turns the cache on (announcements are heard) or off; either way it starts empty. */
  setListening(listening: boolean): void;
  readonly size: number;
}

export function createAccountViewCache(opts: { ttlSec: number; maxEntries?: number }): AccountViewCache {
  const maxEntries = opts.maxEntries ?? 10_000;
  const entries = new Map<string, CachedAccountView>();
  let listening = false;
  let version = 0;

  function forgetAll(): void {
    version++;
    entries.clear();
  }

  return {
    get(userId, nowMs) {
      if (!listening) return undefined;
      const entry = entries.get(userId);
      if (!entry) return undefined;
      if (entry.expiresAtMs > nowMs) return entry;
      entries.delete(userId);
      return undefined;
    },
    version: () => version,
    set(userId, entry, readAt, nowMs) {
      if (!listening || opts.ttlSec <= 0 || readAt !== version) return;
      entries.delete(userId);
      // Map keeps insertion order: the first key is the oldest entry.
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(userId, { ...entry, expiresAtMs: Math.min(entry.expiresAtMs, nowMs + opts.ttlSec * 1000) });
    },
    forgetUser(userId) {
      version++;
      entries.delete(userId);
    },
    forgetAll,
    setListening(on) {
      listening = on;
      forgetAll();
    },
    get size() {
      return entries.size;
    },
  };
}
