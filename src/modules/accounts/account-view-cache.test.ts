/** The account view cache on its own. Everything here is real; nothing touches a database. */
import { describe, expect, it } from 'vitest';
import type { TUser } from './accounts.dto.ts';
import { createAccountViewCache } from './account-view-cache.ts';

// Only identity matters here: the cache hands back what it was given.
const entry = (id: string, expiresAtMs = Infinity) => ({ view: { id } as TUser, expiresAtMs, balanceReadAt: 0 });

function listening(opts: { ttlSec?: number; maxEntries?: number } = {}) {
  const cache = createAccountViewCache({ ttlSec: opts.ttlSec ?? 60, ...(opts.maxEntries ? { maxEntries: opts.maxEntries } : {}) });
  cache.setListening(true);
  return cache;
}

describe('account view cache', () => {
  it('serves and stores nothing until it hears announcements, and empties when it stops', () => {
    const cache = createAccountViewCache({ ttlSec: 60 });
    cache.set('a', entry('a'), cache.version(), 0);
    expect(cache.get('a', 0)).toBeUndefined();
    cache.setListening(true);
    cache.set('a', entry('a'), cache.version(), 0);
    expect(cache.get('a', 0)?.view.id).toBe('a');
    cache.setListening(false);
    expect(cache.get('a', 0)).toBeUndefined();
    cache.setListening(true);
    expect(cache.get('a', 0)).toBeUndefined();
  });

  it('forgets one user, or every user', () => {
    const cache = listening();
    for (const id of ['a', 'b', 'c']) cache.set(id, entry(id), cache.version(), 0);
    cache.forgetUser('a');
    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.get('b', 0)?.view.id).toBe('b');
    cache.forgetAll();
    expect(cache.size).toBe(0);
  });

  it('does not store a view read before a forget (it may predate the change)', () => {
    const cache = listening();
    const readAt = cache.version();
    cache.forgetUser('someone else');
    cache.set('a', entry('a'), readAt, 0);
    expect(cache.get('a', 0)).toBeUndefined();
  });

  it('ends a view at its own bound or the TTL, whichever is sooner; a TTL of 0 caches nothing', () => {
    const cache = listening({ ttlSec: 60 });
    cache.set('a', entry('a', 10_000), cache.version(), 0);
    cache.set('b', entry('b'), cache.version(), 0);
    expect(cache.get('a', 9_999)?.view.id).toBe('a');
    expect(cache.get('a', 10_000)).toBeUndefined();
    expect(cache.get('b', 59_999)?.view.id).toBe('b');
    expect(cache.get('b', 60_000)).toBeUndefined();
    const off = listening({ ttlSec: 0 });
    off.set('a', entry('a'), off.version(), 0);
    expect(off.get('a', 0)).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = listening({ maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) cache.set(id, entry(id), cache.version(), 0);
    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.get('c', 0)?.view.id).toBe('c');
    expect(cache.size).toBe(2);
  });
});
