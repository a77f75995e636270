/**
 * Per-route rate limits on the real auth and code-redeeming routes: headers, 429 problem with
 * Retry-After, per-IP (per /64 for IPv6) and per-route counting, with the memory store and with Redis.
 * Real: buildApp() with ATELIER_RATE_LIMIT=on on the test database, and the real Redis at
 * redis://127.0.0.1:6379 (or REDIS_TEST_URL) for the shared store; one test starts and kills a
 * redis-server of its own. Stand-ins: client addresses are
 * made up per test (inject's remoteAddress), which also keeps this file's Redis keys apart from
 * anyone else's; only those keys are deleted afterwards.
 */
import { spawn } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

/** Every address handed out is remembered, so the Redis keys made for it can be deleted. */
const usedIps: string[] = [];
function randomIp(): string {
  const ip = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
  usedIps.push(ip);
  return ip;
}

/** A random /64 (remembered by the key it is counted under) and an address in it. */
function randomV6(): { prefix: string; address: () => string } {
  const hex = () => randomInt(1, 0xffff).toString(16);
  const prefix = `2001:db8:${hex()}:${hex()}`;
  usedIps.push(`${prefix}::/64`);
  return { prefix, address: () => `${prefix}:${hex()}:${hex()}:${hex()}:${hex()}` };
}

/** A wrong password for an account nobody has; each call names another, so no account's own budget is reached. */
function login(t: TestApp, ip: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: ip,
    payload: { email: `nobody-${randomUUID()}@example.com`, password: 'password123' },
  });
}

function otpRequest(t: TestApp, ip: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/otp/request',
    remoteAddress: ip,
    payload: { email: 'nobody@example.com', purpose: 'login' },
  });
}

/** The shared contract, run against both stores. */
function limitsContract(get: () => TestApp) {
  it('counts down RateLimit-Remaining and then answers 429 rate_limited with Retry-After', async () => {
    const t = get();
    const ip = randomIp();
    for (let i = 1; i <= 5; i++) {
      const res = await otpRequest(t, ip);
      expect(res.statusCode, res.body).toBe(202);
      expect(res.headers['ratelimit-limit']).toBe('5');
      expect(res.headers['ratelimit-remaining']).toBe(String(5 - i));
      const reset = Number(res.headers['ratelimit-reset']);
      expect(reset).toBeGreaterThan(0);
      expect(reset).toBeLessThanOrEqual(60);
    }
    const limited = await otpRequest(t, ip);
    expect(limited.statusCode, limited.body).toBe(429);
    expect(String(limited.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(limited.json()).toMatchObject({ status: 429, code: 'rate_limited', title: expect.any(String), type: expect.any(String) });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers['ratelimit-limit']).toBe('5');
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    expect(limited.headers['x-request-id']).toBeTruthy();
  });

  it('allows 20 logins a minute per IP, and counts each IP on its own', async () => {
    const t = get();
    const ip = randomIp();
    const first = await Promise.all(Array.from({ length: 20 }, () => login(t, ip)));
    for (const res of first) expect(res.statusCode, res.body).toBe(401);
    expect(first.map((r) => Number(r.headers['ratelimit-remaining'])).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const over = await login(t, ip);
    expect(over.statusCode, over.body).toBe(429);
    expect(over.json().code).toBe('rate_limited');

    const other = await login(t, randomIp());
    expect(other.statusCode, other.body).toBe(401);
    expect(other.headers['ratelimit-remaining']).toBe('19');
  });

  it('lets exactly the limit through when a burst arrives at once', async () => {
    const t = get();
    const ip = randomIp();
    const burst = await Promise.all(Array.from({ length: 26 }, () => login(t, ip)));
    const codes = burst.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(20);
    expect(codes.filter((c) => c === 429)).toHaveLength(6);
  });

  it('counts each route on its own', async () => {
    const t = get();
    const ip = randomIp();
    for (let i = 0; i < 6; i++) await otpRequest(t, ip);
    expect((await otpRequest(t, ip)).statusCode).toBe(429);
    const res = await login(t, ip);
    expect(res.statusCode, res.body).toBe(401);
    expect(res.headers['ratelimit-limit']).toBe('20');
    expect(res.headers['ratelimit-remaining']).toBe('19');
  });

  it('counts every address of an IPv6 /64 as one client', async () => {
    const t = get();
    const net = randomV6();
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await otpRequest(t, net.address())).statusCode);
    expect(codes).toEqual([202, 202, 202, 202, 202, 429]);
    expect((await otpRequest(t, randomV6().address())).statusCode).toBe(202);
  });

  it('limits trying coupon codes and redeeming coupons and gift cards', async () => {
    const t = get();
    const ip = randomIp();
    const registered = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      remoteAddress: ip,
      payload: { email: `coupons-${randomUUID()}@example.com`, password: 'password123' },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const headers = { authorization: `Bearer ${registered.json().access_token}` };
    const attempt = (url: string) => t.app.inject({ method: 'POST', url, remoteAddress: ip, headers, payload: { code: 'NO-SUCH-CODE' } });
    // Each try is refused on its merits (4xx) until the limit, and the one past it is 429.
    const tries = async (url: string, n: number) => (await Promise.all(Array.from({ length: n }, () => attempt(url)))).map((r) => r.statusCode);
    for (const [url, limit] of [['/api/v1/billing/coupons/validate', 20], ['/api/v1/billing/coupons/redeem', 10], ['/api/v1/billing/gift-cards/redeem', 10]] as const) {
      const codes = await tries(url, limit + 1);
      expect(codes.filter((c) => c === 429), url).toHaveLength(1);
      expect(codes.every((c) => c >= 400 && c < 500), url).toBe(true);
    }
  });

  it('leaves routes without a limit alone', async () => {
    const res = await get().app.inject({ method: 'GET', url: '/healthz', remoteAddress: randomIp() });
    expect(res.statusCode).toBe(200);
    expect(res.headers['ratelimit-limit']).toBeUndefined();
  });
}

describe('rate limits off (the createTestApp default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('sends no rate-limit headers and never 429s', async () => {
    const ip = randomIp();
    for (let i = 0; i < 8; i++) {
      const res = await otpRequest(t, ip);
      expect(res.statusCode, res.body).toBe(202);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
  });
});

describe('rate limits, memory store', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { ATELIER_RATE_LIMIT: 'on' } });
  });
  afterAll(async () => t?.close());
  limitsContract(() => t);
});

describe('rate limits, Redis store', () => {
  let t: TestApp;
  let redis: Redis;
  let a: TestApp | undefined;
  let b: TestApp | undefined;
  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    t = await createTestApp({ env: { ATELIER_RATE_LIMIT: 'on', REDIS_URL } });
  });
  afterAll(async () => {
    await Promise.all([t?.close(), a?.close(), b?.close()]);
    // Delete only this file's keys (every key it made ends in one of its made-up addresses).
    for (const ip of usedIps) {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `atelier:rl:*-${ip}`, 'COUNT', 1000);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      if (keys.length) await redis.del(...keys);
    }
    redis?.disconnect();
  });

  limitsContract(() => t);

  it('counts in memory when Redis cannot be reached at start: limits hold, nothing fails', async () => {
    const down = await createTestApp({ env: { ATELIER_RATE_LIMIT: 'on', REDIS_URL: 'redis://127.0.0.1:9' } });
    try {
      const ip = randomIp();
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) codes.push((await otpRequest(down, ip)).statusCode);
      expect(codes).toEqual([202, 202, 202, 202, 202, 429, 429]);
    } finally {
      await down.close();
    }
  });

  it('keeps limiting from memory when Redis stops mid-run, without a 5xx', async () => {
    // A Redis of this test's own, so stopping it disturbs nobody else.
    const port = 20_000 + randomInt(20_000);
    const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    // Retries every 100 ms until the server is up; errors after the kill are expected.
    const own = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    own.on('error', () => {});
    await new Promise((resolve) => own.once('ready', resolve));
    const node = await createTestApp({ env: { ATELIER_RATE_LIMIT: 'on', REDIS_URL: `redis://127.0.0.1:${port}` } });
    try {
      const ip = randomIp();
      const before = [(await otpRequest(node, ip)).statusCode, (await otpRequest(node, ip)).statusCode];
      expect(before).toEqual([202, 202]);
      expect(Number(await own.get((await own.keys(`atelier:rl:*-${ip}`))[0]!))).toBe(2);
      await new Promise((r) => {
        server.once('exit', r);
        server.kill('SIGKILL');
      });
      const after: number[] = [];
      for (let i = 0; i < 7; i++) after.push((await otpRequest(node, ip)).statusCode);
      // Memory starts its own window: five more through on this node, then refused.
      expect(after).toEqual([202, 202, 202, 202, 202, 429, 429]);
    } finally {
      own.disconnect();
      server.kill('SIGKILL');
      await node.close();
    }
  });

  it('keeps the counters in Redis', async () => {
    const ip = randomIp();
    await login(t, ip);
    await login(t, ip);
    const [key] = await redis.keys(`atelier:rl:*-${ip}`);
    expect(key).toContain('/api/v1/auth/login');
    expect(Number(await redis.get(key!))).toBe(2);
    const ttl = await redis.pttl(key!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('counts from the first request after start, and shares counters between nodes', async () => {
    const ip = randomIp();
    // Two freshly built API nodes on the same Redis: requests spread over both count together.
    [a, b] = await Promise.all([
      createTestApp({ env: { ATELIER_RATE_LIMIT: 'on', REDIS_URL } }),
      createTestApp({ env: { ATELIER_RATE_LIMIT: 'on', REDIS_URL } }),
    ]);
    const codes: number[] = [];
    const remaining: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await otpRequest(i % 2 === 0 ? a : b, ip);
      codes.push(res.statusCode);
      remaining.push(String(res.headers['ratelimit-remaining']));
    }
    expect(codes).toEqual([202, 202, 202, 202, 202, 429]);
    expect(remaining).toEqual(['4', '3', '2', '1', '0', '0']);
  });
});
