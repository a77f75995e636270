/** The Redis counter store that @fastify/rate-limit ships but does not export a type for. */
declare module '@fastify/rate-limit/store/RedisStore.js' {
  import type { Redis } from 'ioredis';

  type StoreCallback = (err: Error | null, res: { current: number; ttl: number }) => void;

  export default class RedisStore {
    constructor(continueExceeding: boolean, exponentialBackoff: boolean, redis: Redis, key?: string);
    incr(key: string, cb: StoreCallback, timeWindow: number, max: number): void;
    read(key: string, cb: StoreCallback, timeWindow: number, max: number): void;
    child(routeOptions: unknown): RedisStore;
  }
}
