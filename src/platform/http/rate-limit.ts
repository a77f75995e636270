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

export async function registerRateLimit(app: FastifyInstance, opts: { enabled: boolean; redisUrl?: string }): Promise<void> {
  if (!opts.enabled) return;
  let redis: Redis | undefined;
  if (opts.redisUrl) {
    redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    redis.on('error', (err) => app.log.warn({ err }, 'rate-limit redis error'));
    app.addHook('onClose', async () => {
      redis?.disconnect();
    });
  }
  await app.register(rateLimitPlugin, {
    global: false,
    enableDraftSpec: true,
    nameSpace: 'atelier:rl:',
    ...(redis ? { redis, skipOnError: true } : {}),
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', `Too many requests; try again in ${context.after}.`, {
        headers: { 'retry-after': String(Math.max(1, Math.ceil(context.ttl / 1000))) },
      }, context.statusCode),
  });
}
