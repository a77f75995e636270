/**
 * A per-process memory of answers read from the database, kept fresh by forgetting rather than by
 * expiry (decisions 070 and 106); principals (principal-cache.ts) and account views
 * (account-view-cache.ts) are both one of these:
 * - every change that makes an answer wrong is announced on commit with the user it concerns, and
 *   every process forgets all it holds for that user (`forgetUser`), or everything (`forgetAll`);
 * - while the announcements cannot be heard (no listener yet, or its connection lost), the cache is
 *   off: nothing is served from it and nothing is stored; when they can again it starts empty;
 * - a read that raced a forget does not store its (possibly older) answer: every forget bumps a
 *   version, and `set` refuses an answer read under an older one;
 * - an entry is not served past its own `expiresAtMs`, which the TTL caps; at most `maxEntries`
 *   are kept, the oldest going first.
 */
export interface ForgettingCache<V extends { expiresAtMs: number }> {
  /** The live entry, or undefined (also whenever the cache is off). */
  get(key: string, nowMs: number): V | undefined;
  /** Taken before reading the database; `set` stores only if nothing was forgotten since. */
  version(): number;
  set(key: string, entry: V, readAt: number, nowMs: number): void;
  forgetUser(userId: string): void;
  forgetAll(): void;
  /** Turns the cache on (announcements are heard) or off; either way it starts empty. */
  setListening(listening: boolean): void;
  readonly size: number;
}

export function createForgettingCache<V extends { expiresAtMs: number }>(opts: {
  ttlSec: number;
  maxEntries?: number;
  /** The user an entry belongs to, whose announcements forget it. */
  userOf: (key: string, entry: V) => string;
}): ForgettingCache<V> {
  const maxEntries = opts.maxEntries ?? 10_000;
  const entries = new Map<string, V>();
  const keysOfUser = new Map<string, Set<string>>();
  let listening = false;
  let version = 0;

  function remove(key: string): void {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    const user = opts.userOf(key, entry);
    const keys = keysOfUser.get(user);
    keys?.delete(key);
    if (keys?.size === 0) keysOfUser.delete(user);
  }

  function forgetAll(): void {
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
      const user = opts.userOf(key, entry);
      const keys = keysOfUser.get(user) ?? new Set<string>();
      keys.add(key);
      keysOfUser.set(user, keys);
    },
    forgetUser(userId) {
      version++;
      for (const key of keysOfUser.get(userId) ?? []) entries.delete(key);
      keysOfUser.delete(userId);
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
