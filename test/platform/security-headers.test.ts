/**
 * Security headers (helmet) and request ids on every kind of response: success, client error, 404.
 * Real: buildApp() on the test database through createTestApp, and a second app built with
 * NODE_ENV=production for HSTS. Stand-ins: none beyond createTestApp's (outbox, manual clock).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const samples = () => [
  call(t.app, 'GET', '/healthz'),
  call(t.app, 'GET', '/api/v1/me'), // 401
  call(t.app, 'GET', '/api/v1/nothing-here'), // 404
  call(t.app, 'POST', '/api/v1/auth/login', { body: { email: 'bad' } }), // 400
  call(t.app, 'GET', '/api/openapi.json'),
];

describe('security headers', () => {
  it('sends CSP, nosniff and no framing on every response', async () => {
    for (const res of await Promise.all(samples())) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp, res.body).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBeDefined();
      expect(res.headers['referrer-policy']).toBeDefined();
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('sends no HSTS and no upgrade-insecure-requests outside production', async () => {
    const res = await call(t.app, 'GET', '/healthz');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(String(res.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
  });

  it('sends HSTS and upgrade-insecure-requests in production', async () => {
    const prod = await createTestApp({ env: { NODE_ENV: 'production', ATELIER_SECRET: 's'.repeat(40) } });
    try {
      const res = await call(prod.app, 'GET', '/healthz');
      expect(String(res.headers['strict-transport-security'])).toMatch(/max-age=31536000; includeSubDomains/);
      expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
    } finally {
      await prod.close();
    }
  });
});

describe('x-request-id', () => {
  it('is on every response and differs between requests', async () => {
    const all = await Promise.all(samples());
    const ids = all.map((r) => String(r.headers['x-request-id']));
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('echoes a sane incoming X-Request-Id, also on errors', async () => {
    const id = 'edge-01:req.42_abc';
    for (const url of ['/healthz', '/api/v1/me', '/nope']) {
      const res = await call(t.app, 'GET', url, { headers: { 'x-request-id': id } });
      expect(res.headers['x-request-id']).toBe(id);
    }
  });

  it('replaces an insane incoming X-Request-Id with its own', async () => {
    for (const bad of ['', 'has spaces', 'x'.repeat(129), '<script>', 'a\u00e9b', 'a/b', 'line"quote']) {
      const res = await call(t.app, 'GET', '/healthz', { headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id'], JSON.stringify(bad)).toMatch(UUID);
    }
  });
});
