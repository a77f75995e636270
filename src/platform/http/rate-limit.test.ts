// Real: MemoryRateLimitStore, the in-memory counters behind @fastify/rate-limit when no Redis is
// configured. Stand-in: vitest's fake clock moves time (no waiting). The route-level behaviour
// (headers, 429, bursts) is tested through the app in test/platform/rate-limit.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryRateLimitStore } from './rate-limit.ts';

type Result = { current: number; ttl: number };

const incr = (store: MemoryRateLimitStore, key: string, windowMs = 60_000): Result => {
  let out: Result | undefined;
  store.incr(key, (err, res) => {
    expect(err).toBeNull();
    out = res;
  }, windowMs);
  return out!;
};
const read = (store: MemoryRateLimitStore, key: string): Result => {
  let out: Result | undefined;
  store.read(key, (_err, res) => (out = res));
  return out!;
};

describe('MemoryRateLimitStore', () => {
  const maxKeys = MemoryRateLimitStore.maxKeys;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-01-01T00:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
    MemoryRateLimitStore.maxKeys = maxKeys;
  });

  it('counts per key within a window, with the time left as ttl', () => {
    const store = new MemoryRateLimitStore();
    expect(incr(store, 'a')).toEqual({ current: 1, ttl: 60_000 });
    vi.advanceTimersByTime(10_000);
    expect(incr(store, 'a')).toEqual({ current: 2, ttl: 50_000 });
    expect(incr(store, 'b')).toEqual({ current: 1, ttl: 60_000 });
  });

  it('answers with a snapshot that later increments do not change', () => {
    const store = new MemoryRateLimitStore();
    const first = incr(store, 'a');
    const second = incr(store, 'a');
    expect(first.current).toBe(1);
    expect(second.current).toBe(2);
  });

  it('starts a new window once the old one is over', () => {
    const store = new MemoryRateLimitStore();
    for (let i = 0; i < 5; i++) incr(store, 'a');
    vi.advanceTimersByTime(60_000);
    expect(incr(store, 'a')).toEqual({ current: 1, ttl: 60_000 });
  });

  it('reads without counting', () => {
    const store = new MemoryRateLimitStore();
    expect(read(store, 'a')).toEqual({ current: 0, ttl: 0 });
    incr(store, 'a');
    vi.advanceTimersByTime(1000);
    expect(read(store, 'a')).toEqual({ current: 1, ttl: 59_000 });
    expect(read(store, 'a').current).toBe(1);
    vi.advanceTimersByTime(59_000);
    expect(read(store, 'a')).toEqual({ current: 0, ttl: 0 });
  });

  it('gives each route its own counters', () => {
    const root = new MemoryRateLimitStore();
    const login = root.child();
    const otp = root.child();
    incr(login, 'ip');
    incr(login, 'ip');
    expect(incr(otp, 'ip').current).toBe(1);
  });

  it('stays bounded: sweeps expired windows, then drops the oldest', () => {
    MemoryRateLimitStore.maxKeys = 10;
    const store = new MemoryRateLimitStore();
    for (let i = 0; i < 10; i++) incr(store, `old-${i}`, 1000);
    vi.advanceTimersByTime(1000);
    incr(store, 'new');
    expect(store.windows.size).toBe(1);

    for (let i = 0; i < 9; i++) incr(store, `live-${i}`);
    expect(store.windows.size).toBe(10);
    incr(store, 'one-more');
    expect(store.windows.size).toBeLessThanOrEqual(10);
    expect(store.windows.has('one-more')).toBe(true);
    expect(store.windows.has('new')).toBe(false); // the oldest went
  });
});
