/**
 * Operations endpoints: /healthz, /readyz, /metrics, /api/openapi.json and the /api/docs page.
 * Real: buildApp() on the test database with the real pg-boss queue and a real temp data dir, the
 * real prom-client registry, the OpenAPI document generated from the real routes' zod schemas, and
 * Swagger UI's files from the package. Stand-ins: to make /readyz fail, a dependency's ping() is
 * swapped for one that throws (with "internal" text in the error) or never answers, and the data
 * dir is replaced by a plain file; /metrics' access setting is swapped in the running app's config.
 */
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const INTERNAL = 'FATAL: password authentication failed for user "atelier" at 10.9.8.7:5432';

/** Runs `fn` with one of the app's dependencies' ping() swapped, then puts it back. */
async function withPing<T>(target: { ping(): Promise<void> }, ping: () => Promise<void>, fn: () => Promise<T>): Promise<T> {
  const saved = target.ping;
  target.ping = ping;
  try {
    return await fn();
  } finally {
    target.ping = saved;
  }
}

describe('GET /healthz', () => {
  it('answers 200 {status: ok}', async () => {
    const res = await call(t.app, 'GET', '/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.data).toEqual({ status: 'ok' });
  });

  it('stays up even when the database is down (liveness is not readiness)', async () => {
    const res = await withPing(t.database, async () => Promise.reject(new Error(INTERNAL)), () => call(t.app, 'GET', '/healthz'));
    expect(res.statusCode).toBe(200);
  });
});

describe('GET /readyz', () => {
  it('answers 200 when database, queue and storage are reachable', async () => {
    const res = await call(t.app, 'GET', '/readyz');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toEqual({ status: 'ok', checks: { database: 'ok', queue: 'ok', storage: 'ok' } });
  });

  it('answers 503 naming the database when it is down, with no internal error text', async () => {
    const res = await withPing(t.database, async () => Promise.reject(new Error(INTERNAL)), () => call(t.app, 'GET', '/readyz'));
    expect(res.statusCode).toBe(503);
    expect(res.data).toEqual({ status: 'unavailable', checks: { database: 'down', queue: 'ok', storage: 'ok' } });
    expect(res.body).not.toMatch(/password|10\.9\.8\.7|FATAL/);
  });

  it('answers 503 naming the queue when it is down', async () => {
    const res = await withPing(t.queue, async () => Promise.reject(new Error(INTERNAL)), () => call(t.app, 'GET', '/readyz'));
    expect(res.statusCode).toBe(503);
    expect(res.data.checks).toEqual({ database: 'ok', queue: 'down', storage: 'ok' });
    expect(res.body).not.toMatch(/password|10\.9\.8\.7|FATAL/);
  });

  it('answers 503 (not never) when a dependency hangs', async () => {
    const res = await withPing(t.queue, () => new Promise<void>(() => {}), () => call(t.app, 'GET', '/readyz'));
    expect(res.statusCode).toBe(503);
    expect(res.data.checks.queue).toBe('down');
    expect(res.body).not.toContain('timed out');
  });

  it('answers 503 naming storage when the data dir cannot be written', async () => {
    const dir = t.config.dataDir;
    await fs.rm(dir, { recursive: true, force: true });
    await fs.writeFile(dir, 'not a directory');
    try {
      const res = await call(t.app, 'GET', '/readyz');
      expect(res.statusCode).toBe(503);
      expect(res.data.checks).toEqual({ database: 'ok', queue: 'ok', storage: 'down' });
      expect(res.body).not.toMatch(/EEXIST|ENOTDIR|atelier-test-/);
    } finally {
      await fs.rm(dir, { force: true });
      await fs.mkdir(dir, { recursive: true });
    }
    expect((await call(t.app, 'GET', '/readyz')).statusCode).toBe(200);
  });

  it('names every dependency that is down at once', async () => {
    const reject = async () => Promise.reject(new Error(INTERNAL));
    const res = await withPing(t.database, reject, () => withPing(t.queue, reject, () => call(t.app, 'GET', '/readyz')));
    expect(res.statusCode).toBe(503);
    expect(res.data.checks).toEqual({ database: 'down', queue: 'down', storage: 'ok' });
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text with request counts by route pattern and the process metrics', async () => {
    await call(t.app, 'GET', '/healthz');
    await call(t.app, 'GET', '/api/v1/me'); // 401
    await call(t.app, 'GET', '/api/v1/no-such/12345'); // 404
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toContain('# TYPE atelier_http_requests_total counter');
    expect(text).toMatch(/atelier_http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]/);
    expect(text).toMatch(/atelier_http_requests_total\{method="GET",route="\/api\/v1\/me",status="401"\} [1-9]/);
    expect(text).toMatch(/atelier_http_request_duration_seconds_bucket\{le="[\d.]+",method="GET",route="\/healthz"\}/);
    // Unknown URLs share one label value: paths must not become label values.
    // (Checked in label values only: a metric's value may contain any digits.)
    expect(text).not.toMatch(/"[^"]*12345[^"]*"/);
    expect(text).toMatch(/atelier_http_requests_total\{method="GET",route="[^"]*",status="404"\} [1-9]/);
    // Default process metrics.
    expect(text).toMatch(/^atelier_process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^atelier_process_resident_memory_bytes \d/m);
    expect(text).toMatch(/^atelier_nodejs_heap_size_used_bytes \d/m);
  });

  it('is not there when closed, and needs the bearer token when one is set (decision 090)', async () => {
    const open = t.config.metrics;
    try {
      t.config.metrics = { access: 'off' };
      const closed = await call(t.app, 'GET', '/metrics');
      expect(closed.statusCode).toBe(404);
      expect(closed.data).toMatchObject({ code: 'not_found' });
      expect(closed.body).not.toContain('atelier_');

      const token = 'scrape-token-0123456789abcdef';
      t.config.metrics = { access: 'token', token };
      for (const authorization of [undefined, 'Bearer wrong-token-0123456789abcdef', `Basic ${token}`, token]) {
        const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
        expect(res.statusCode, String(authorization)).toBe(401);
        expect(res.body).not.toContain('atelier_');
      }
      const ok = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('# TYPE atelier_http_requests_total counter');
    } finally {
      t.config.metrics = open;
    }
  });

  it('uses the route pattern, not the URL, for routes with parameters', async () => {
    await call(t.app, 'DELETE', '/api/v1/me/sessions/00000000-0000-4000-8000-000000000000');
    await call(t.app, 'GET', '/api/docs/static/does-not-exist-98765.js');
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).not.toContain('00000000-0000-4000-8000-000000000000');
    expect(text).not.toMatch(/"[^"]*98765[^"]*"/);
  });
});

describe('GET /api/openapi.json', () => {
  it('is OpenAPI 3.1 generated from the zod schemas', async () => {
    const res = await call(t.app, 'GET', '/api/openapi.json');
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
    const doc = res.data;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Atelier API', version: expect.any(String) });
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/register', '/api/v1/auth/login', '/api/v1/me']));

    const register = doc.paths['/api/v1/auth/register'].post;
    const body = register.requestBody.content['application/json'].schema;
    const resolved = body.$ref ? doc.components.schemas[body.$ref.split('/').pop()] : body;
    expect(JSON.stringify(resolved)).toContain('password');
    expect(Object.keys(register.responses)).toContain('201');
    expect(doc.paths['/api/v1/me'].get.responses['200']).toBeDefined();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('leaves out the operational routes', async () => {
    const doc = (await call(t.app, 'GET', '/api/openapi.json')).data;
    for (const p of ['/healthz', '/readyz', '/metrics', '/api/openapi.json']) expect(doc.paths).not.toHaveProperty([p]);
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/api/docs'))).toBe(false);
  });
});

describe('GET /api/docs', () => {
  it('is an HTML page whose every asset is served by the app itself', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/api/docs' });
    const pageUrl = page.statusCode === 302 ? String(page.headers.location) : '/api/docs';
    const html = page.statusCode === 302 ? await t.app.inject({ method: 'GET', url: pageUrl }) : page;
    expect(html.statusCode).toBe(200);
    expect(String(html.headers['content-type'])).toMatch(/^text\/html/);
    expect(html.body).toContain('id="swagger-ui"');
    // Nothing from another host: it must work offline.
    expect(html.body).not.toMatch(/(src|href)="(https?:)?\/\//);

    const refs = [...html.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(3);
    const base = new URL(pageUrl, 'http://localhost/');
    for (const ref of refs) {
      const url = new URL(ref, base);
      const asset = await t.app.inject({ method: 'GET', url: url.pathname });
      expect(asset.statusCode, url.pathname).toBe(200);
      expect(asset.rawPayload.length, url.pathname).toBeGreaterThan(0);
      if (url.pathname.endsWith('.js')) {
        expect(String(asset.headers['content-type'])).toMatch(/javascript/);
      }
      if (url.pathname.endsWith('.css')) expect(String(asset.headers['content-type'])).toMatch(/^text\/css/);
    }
  });

  it('points the page at a spec the app serves (the same document)', async () => {
    const init = await t.app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
    expect(init.statusCode).toBe(200);
    expect(init.body).toContain("resolveUrl('./json')");
    expect(init.body).toMatch(/validatorUrl: null/);
    const json = await call(t.app, 'GET', '/api/docs/json');
    expect(json.statusCode).toBe(200);
    expect(json.data.openapi).toBe('3.1.0');
    expect(Object.keys(json.data.paths)).toContain('/api/v1/me');
  });
});
