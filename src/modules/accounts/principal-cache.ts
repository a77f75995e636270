/**
 * Who a credential belongs to, remembered per process so most requests authenticate without the
 * database (decision 070). Instant revocation is kept by forgetting, not by expiry:
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

export type CachedPrincipal = Omit<Principal, 'via'>;

export interface PrincipalEntry {
  principal: CachedPrincipal;
  /** Past this the entry is not served: the TTL, and the token's or session's own end. */
  expiresAtMs: number;
  /** When the credential's last_used_at was last bumped (it is kept to the minute). */
  lastUsedAtMs: number | null;
}

export interface PrincipalCache {
  /** The live entry for a credential, or undefined (also whenever the cache is off). */
  get(key: string, nowMs: number): PrincipalEntry | undefined;
  /** Taken before reading the database; `set` stores only if nothing was forgotten since. */
  version(): number;
  set(key: string, entry: PrincipalEntry, readAt: number, nowMs: number): void;
  forgetUser(userId: string): void;
  /** Turns the cache on (announcements are heard) or off; either way it starts empty. */
  setListening(listening: boolean): void;
  readonly size: number;
}

export function createPrincipalCache(opts: { ttlSec: number; maxEntries?: number }): PrincipalCache {
  const maxEntries = opts.maxEntries ?? 10_000;
  const entries = new Map<string, PrincipalEntry>();
  const keysOfUser = new Map<string, Set<string>>();
  let listening = false;
  let version = 0;

  function remove(key: string): void {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    const keys = keysOfUser.get(entry.principal.userId);
    keys?.delete(key);
    if (keys?.size === 0) keysOfUser.delete(entry.principal.userId);
  }

  function clear(): void {
    version++;
    entries.clear();
    keysOfUser.clear();
  }

  return {
    get(key, nowMs) {
      if (!listening) return undefined;
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAtMs <= nowMs) {
        remove(key);
        return undefined;
      }
      return entry;
    },
    version: () => version,
    set(key, entry, readAt, nowMs) {
      if (!listening || opts.ttlSec <= 0 || readAt !== version) return;
      remove(key);
      // Map keeps insertion order: the first key is the oldest entry.
      if (entries.size >= maxEntries) remove(entries.keys().next().value!);
      entries.set(key, { ...entry, expiresAtMs: Math.min(entry.expiresAtMs, nowMs + opts.ttlSec * 1000) });
      const keys = keysOfUser.get(entry.principal.userId) ?? new Set<string>();
      keys.add(key);
      keysOfUser.set(entry.principal.userId, keys);
    },
    forgetUser(userId) {
      version++;
      for (const key of keysOfUser.get(userId) ?? []) entries.delete(key);
      keysOfUser.delete(userId);
    },
    setListening(on) {
      listening = on;
      clear();
    },
    get size() {
      return entries.size;
    },
  };
}
