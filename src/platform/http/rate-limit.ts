/**
 * Per-route rate limits, per client IP (an IPv6 client per /64: ip.ts). Counters live in memory by default and in Redis when REDIS_URL is set, so
 * several API nodes share them; while Redis cannot answer, each node counts in its own memory
 * instead, so the limits stay in force (per node) rather than failing open. Responses carry the IETF draft headers (RateLimit-Limit,
 * RateLimit-Remaining, RateLimit-Reset) and a 429 problem with Retry-After.
 */
import rateLimitPlugin from '@fastify/rate-limit';
// The plugin's own Redis store (its Lua counter), used here behind the memory fallback.
import RedisStore from '@fastify/rate-limit/store/RedisStore.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { AppError } from './errors.ts';
import { clientKey } from './ip.ts';

export interface RouteRateLimit {
  max: number;
  /** Milliseconds, or a duration string such as '1 minute'. */
  timeWindow: number | string;
  keyGenerator?: (request: FastifyRequest) => string | Promise<string>;
}

/** Route config fragment: `config: { ...rateLimit({ max: 10, timeWindow: '1 minute' }) }`. */
export const rateLimit = (limit: RouteRateLimit) => ({ rateLimit: limit });

type StoreCallback = (err: Error | null, res: { current: number; ttl: number }) => void;

/**
 * The in-memory counters. The plugin's own memory store answers with its live counter object, which
 * later increments go on changing before the plugin reads it; requests that overlap then all see the
 * last count, so a burst gets wrong RateLimit-Remaining values and can be refused whole (26 logins at
 * once: 26 × 429 instead of 20 through and 6 refused). This store answers with a snapshot.
 */
export class MemoryRateLimitStore {
  /** Keys kept before expired windows are swept, and past which the oldest windows are dropped. */
  static maxKeys = 10_000;
  readonly windows = new Map<string, { count: number; resetAt: number }>();

  incr(key: string, cb: StoreCallback, timeWindow: number): void {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      this.windows.delete(key);
      if (this.windows.size >= MemoryRateLimitStore.maxKeys) this.sweep(now);
      w = { count: 0, resetAt: now + timeWindow };
      this.windows.set(key, w);
    }
    w.count += 1;
    cb(null, { current: w.count, ttl: w.resetAt - now });
  }

  read(key: string, cb: StoreCallback): void {
    const now = Date.now();
    const w = this.windows.get(key);
    cb(null, w && w.resetAt > now ? { current: w.count, ttl: w.resetAt - now } : { current: 0, ttl: 0 });
  }

  /** One store per limited route (the plugin asks for it), so routes count on their own. */
  child(): MemoryRateLimitStore {
    return new MemoryRateLimitStore();
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
    // Still full: drop the windows opened longest ago (Map keeps insertion order).
    for (const k of this.windows.keys()) {
      if (this.windows.size < MemoryRateLimitStore.maxKeys) break;
      this.windows.delete(k);
    }
  }
}

/**
 * Redis first, memory when Redis is not connected or a command fails. The memory counters start
 * from nothing when Redis goes, so for one window a client may get up to the limit again from each
 * node: looser than the shared count, never unlimited.
 */
export function redisWithMemoryFallback(redis: Redis, nameSpace: string, onFallback: (err: unknown) => void) {
  return class FallbackStore {
    readonly shared: RedisStore;
    readonly local: MemoryRateLimitStore;

    constructor(_params?: unknown, shared?: RedisStore, local?: MemoryRateLimitStore) {
      this.shared = shared ?? new RedisStore(false, false, redis, nameSpace);
      this.local = local ?? new MemoryRateLimitStore();
    }

    incr(key: string, cb: StoreCallback, timeWindow: number, max: number): void {
      this.route('incr', key, cb, timeWindow, max);
    }

    read(key: string, cb: StoreCallback, timeWindow: number, max: number): void {
      this.route('read', key, cb, timeWindow, max);
    }

    child(routeOptions: unknown): FallbackStore {
      return new FallbackStore(undefined, this.shared.child(routeOptions), this.local.child());
    }

    private route(op: 'incr' | 'read', key: string, cb: StoreCallback, timeWindow: number, max: number): void {
      const inMemory = () => (op === 'incr' ? this.local.incr(key, cb, timeWindow) : this.local.read(key, cb));
      if (redis.status !== 'ready') return inMemory();
      this.shared[op](key, (err, res) => {
        if (!err) return cb(null, res);
        onFallback(err);
        inMemory();
      }, timeWindow, max);
    }
  };
}

const REDIS_CONNECT_TIMEOUT_MS = 3000;

async function connectWithin(redis: Redis, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no connection within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function registerRateLimit(app: FastifyInstance, opts: { enabled: boolean; redisUrl?: string }): Promise<void> {
  if (!opts.enabled) return;
  let redis: Redis | undefined;
  if (opts.redisUrl) {
    redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    redis.on('error', (err) => app.log.warn({ err }, 'rate-limit redis error'));
    app.addHook('onClose', async () => {
      redis?.disconnect();
    });
    // Without the offline queue, a command sent before the connection is ready fails at once; the
    // start waits for Redis (boundedly) so that the first requests count where every node sees
    // them. If it is down, each node counts in memory until ioredis reconnects.
    await connectWithin(redis, REDIS_CONNECT_TIMEOUT_MS).catch((err: unknown) =>
      app.log.warn({ err }, 'rate-limit redis unreachable at start; counting in memory until it connects'),
    );
  }
  await app.register(rateLimitPlugin, {
    global: false,
    enableDraftSpec: true,
    nameSpace: 'atelier:rl:',
    keyGenerator: (request) => clientKey(request.ip),
    store: (redis ? redisWithMemoryFallback(redis, 'atelier:rl:', (err) => app.log.warn({ err }, 'rate-limit redis failed; counting in memory')) : MemoryRateLimitStore) as never,
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', `Too many requests; try again in ${context.after}.`, {
        headers: { 'retry-after': String(Math.max(1, Math.ceil(context.ttl / 1000))) },
      }, context.statusCode),
  });
}
