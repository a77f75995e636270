/** The principal cache on its own. Everything here is real; nothing touches a database. */
import { describe, expect, it } from 'vitest';
import { createPrincipalCache, type PrincipalEntry } from './principal-cache.ts';

const alice = (over: Partial<PrincipalEntry> = {}): PrincipalEntry => ({
  principal: { userId: 'alice', role: 'user', sessionId: 's1' },
  expiresAtMs: Number.POSITIVE_INFINITY,
  lastUsedAtMs: 0,
  ...over,
});
const bob: PrincipalEntry = { principal: { userId: 'bob', role: 'user', apiKeyId: 'k1' }, expiresAtMs: Number.POSITIVE_INFINITY, lastUsedAtMs: 0 };

function listeningCache(opts: { ttlSec?: number; maxEntries?: number } = {}) {
  const cache = createPrincipalCache({ ttlSec: opts.ttlSec ?? 60, ...(opts.maxEntries ? { maxEntries: opts.maxEntries } : {}) });
  cache.setListening(true);
  return cache;
}

describe('principal cache', () => {
  it('serves nothing and stores nothing until it hears announcements', () => {
    const cache = createPrincipalCache({ ttlSec: 60 });
    cache.set('t:a', alice(), cache.version(), 0);
    expect(cache.get('t:a', 0)).toBeUndefined();
    cache.setListening(true);
    cache.set('t:a', alice(), cache.version(), 0);
    expect(cache.get('t:a', 0)?.principal.userId).toBe('alice');
  });

  it('forgets every credential of a user and only that user', () => {
    const cache = listeningCache();
    cache.set('t:a1', alice(), cache.version(), 0);
    cache.set('k:a2', alice({ principal: { userId: 'alice', role: 'user', apiKeyId: 'k9' } }), cache.version(), 0);
    cache.set('k:b', bob, cache.version(), 0);
    cache.forgetUser('alice');
    expect(cache.get('t:a1', 0)).toBeUndefined();
    expect(cache.get('k:a2', 0)).toBeUndefined();
    expect(cache.get('k:b', 0)?.principal.userId).toBe('bob');
  });

  it('does not store an answer read before a forget (it may predate the revocation)', () => {
    const cache = listeningCache();
    const readAt = cache.version();
    cache.forgetUser('someone else entirely');
    cache.set('t:a', alice(), readAt, 0);
    expect(cache.get('t:a', 0)).toBeUndefined();
    cache.set('t:a', alice(), cache.version(), 0);
    expect(cache.get('t:a', 0)).toBeDefined();
  });

  it('starts empty when it stops hearing and again when it hears again, and refuses answers read across either', () => {
    const cache = listeningCache();
    cache.set('t:a', alice(), cache.version(), 0);
    const readAt = cache.version();
    cache.setListening(false);
    expect(cache.get('t:a', 0)).toBeUndefined();
    cache.set('t:a', alice(), readAt, 0);
    cache.setListening(true);
    expect(cache.get('t:a', 0)).toBeUndefined();
    cache.set('t:a', alice(), readAt, 0);
    expect(cache.size).toBe(0);
  });

  it('bounds an entry by the TTL and by its own end, whichever comes first', () => {
    const cache = listeningCache({ ttlSec: 60 });
    cache.set('t:long', alice(), cache.version(), 1_000);
    cache.set('t:short', alice({ expiresAtMs: 11_000 }), cache.version(), 1_000);
    expect(cache.get('t:long', 60_999)).toBeDefined();
    expect(cache.get('t:long', 61_000)).toBeUndefined();
    expect(cache.get('t:short', 10_999)).toBeDefined();
    expect(cache.get('t:short', 11_000)).toBeUndefined();
  });

  it('stores nothing with a TTL of 0', () => {
    const cache = listeningCache({ ttlSec: 0 });
    cache.set('t:a', alice(), cache.version(), 0);
    expect(cache.get('t:a', 0)).toBeUndefined();
  });

  it('drops the oldest entry when full, and a dropped entry is no longer forgotten by its user', () => {
    const cache = listeningCache({ maxEntries: 2 });
    cache.set('t:a', alice(), cache.version(), 0);
    cache.set('k:b', bob, cache.version(), 0);
    cache.set('t:c', alice({ principal: { userId: 'carol', role: 'admin', sessionId: 's3' } }), cache.version(), 0);
    expect(cache.size).toBe(2);
    expect(cache.get('t:a', 0)).toBeUndefined();
    expect(cache.get('k:b', 0)).toBeDefined();
    cache.forgetUser('carol');
    expect(cache.size).toBe(1);
  });
});
