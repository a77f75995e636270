/**
 * Per-route rate limits. Counters live in memory by default and in Redis when REDIS_URL is set, so
 * several API nodes share them. Responses carry the IETF draft headers (RateLimit-Limit,
 * RateLimit-Remaining, RateLimit-Reset) and a 429 problem with Retry-After.
 */
import rateLimitPlugin from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { AppError } from './errors.ts';

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
    // Without the offline queue, a command sent before the connection is ready fails at once and
    // skipOnError lets the request through uncounted: the first requests after a start would not be
    // limited at all. So the start waits for Redis (boundedly); if it is down, limits fail open
    // until ioredis reconnects.
    await connectWithin(redis, REDIS_CONNECT_TIMEOUT_MS).catch((err: unknown) =>
      app.log.warn({ err }, 'rate-limit redis unreachable at start; limits are skipped until it connects'),
    );
  }
  await app.register(rateLimitPlugin, {
    global: false,
    enableDraftSpec: true,
    nameSpace: 'atelier:rl:',
    ...(redis ? { redis, skipOnError: true } : { store: MemoryRateLimitStore as never }),
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', `Too many requests; try again in ${context.after}.`, {
        headers: { 'retry-after': String(Math.max(1, Math.ceil(context.ttl / 1000))) },
      }, context.statusCode),
  });
}
