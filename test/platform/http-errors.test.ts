/**
 * Failures as application/problem+json: unknown routes, malformed and oversized bodies, wrong
 * content types, validation errors and unexpected exceptions.
 * Real: buildApp() on the test database (through createTestApp) with a low ATELIER_BODY_LIMIT, and
 * for the 500 path a small Fastify instance wired exactly like src/app.ts (same zod compilers, same
 * registerErrorHandling) with test-only routes that throw. Stand-ins: those throwing routes, a pino
 * logger writing into an array, and, once, database methods patched to throw.
 */
import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerErrorHandling } from '../../src/platform/http/error-handler.ts';
import { AppError } from '../../src/platform/http/errors.ts';
import { call, createTestApp, type TestApp } from '../helpers/app.ts';

const BODY_LIMIT = 1024;
const SECRET_TEXT = 'password=hunter2 at 10.1.2.3:5432 in /srv/atelier/internal.ts';

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code });
  expect(typeof body.type).toBe('string');
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body as { type: string; title: string; status: number; detail: string; code: string; errors?: { path: string; message: string }[] };
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { ATELIER_BODY_LIMIT: String(BODY_LIMIT) } });
});
afterAll(async () => t?.close());

describe('problem+json from the real app', () => {
  it('answers an unknown route with 404 not_found', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/no-such-thing'],
      ['POST', '/api/v1/no-such-thing?x=1'],
      ['GET', '/definitely/not/here'],
    ] as const) {
      const res = await call(t.app, method, url);
      const body = expectProblem(res, 404, 'not_found');
      expect(body.detail).not.toContain('x=1');
      expect(res.headers['x-request-id']).toBeTruthy();
    }
  });

  it('answers malformed JSON with 400 validation_failed', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@example.com", "password": ',
    });
    const body = expectProblem(res, 400, 'validation_failed');
    expect(body.errors).toEqual([{ path: 'body', message: expect.any(String) }]);
    expect(res.body).not.toMatch(/Unexpected|SyntaxError|at JSON/);
  });

  it('answers an empty JSON body with 400 validation_failed', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '' });
    expectProblem(res, 400, 'validation_failed');
  });

  it('lists every invalid field with a path and a message', async () => {
    const res = await call(t.app, 'POST', '/api/v1/auth/register', { body: { email: 'not-an-email', password: 1 } });
    const body = expectProblem(res, 400, 'validation_failed');
    expect(body.errors?.length).toBeGreaterThanOrEqual(1);
    for (const e of body.errors ?? []) {
      expect(e.path).toMatch(/^body(\.|$)/);
      expect(e.message.length).toBeGreaterThan(0);
    }
    expect(body.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['body.email']));
  });

  it('answers a body over ATELIER_BODY_LIMIT with 413 payload_too_large', async () => {
    const big = { email: 'a@example.com', password: 'x'.repeat(BODY_LIMIT * 2) };
    const res = await call(t.app, 'POST', '/api/v1/auth/login', { body: big });
    expectProblem(res, 413, 'payload_too_large');
    // Just under the limit is read (and then judged on its content, not its size).
    const small = await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: 'a@example.com', password: 'x'.repeat(BODY_LIMIT - 100) } });
    expect(small.statusCode, small.body).not.toBe(413);
  });

  it('answers a wrong content type with 415 unsupported_media_type', async () => {
    const json = JSON.stringify({ email: 'a@example.com', password: 'password123' });
    for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': type }, payload: json });
      expectProblem(res, 415, 'unsupported_media_type');
    }
  });

  it('accepts JSON with a charset parameter', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: JSON.stringify({ email: 'nobody@example.com', password: 'password123' }),
    });
    expectProblem(res, 401, 'invalid_credentials');
  });

  it('answers 401 unauthorized on a protected route without credentials', async () => {
    expectProblem(await call(t.app, 'GET', '/api/v1/me'), 401, 'unauthorized');
    expectProblem(await call(t.app, 'GET', '/api/v1/me', { token: 'not-a-token' }), 401, 'unauthorized');
  });

  it('turns a failing database into a 500 that says nothing internal', async () => {
    const db = t.database.db as unknown as Record<string, unknown>;
    const names = ['select', 'insert', 'update', 'delete', 'execute', 'transaction', 'query'] as const;
    const saved = Object.fromEntries(names.map((n) => [n, db[n]]));
    const boom = () => {
      throw new Error(`connection refused: ${SECRET_TEXT}`);
    };
    for (const n of names) {
      if (n === 'query') continue; // the relational query builder is an object, not a function
      db[n] = boom;
    }
    try {
      const res = await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: 'a@example.com', password: 'password123' } });
      const body = expectProblem(res, 500, 'internal_error');
      expect(res.body).not.toContain('hunter2');
      expect(res.body).not.toContain('connection refused');
      expect(body).not.toHaveProperty('stack');
    } finally {
      Object.assign(db, saved);
    }
    // And the app is fine again afterwards.
    const after = await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: 'nobody@example.com', password: 'password123' } });
    expect(after.statusCode, after.body).toBe(401);
  });
});

describe('the 500 path (a test-only app wired like src/app.ts)', () => {
  let app: FastifyInstance;
  const logLines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
        done();
      },
    });
    app = Fastify({ loggerInstance: pino({ level: 'info' }, stream) }) as unknown as FastifyInstance;
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandling(app);
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get('/boom', async () => {
      throw new Error(`cannot reach ${SECRET_TEXT}`);
    });
    r.get('/type-error', async () => {
      const o = undefined as unknown as { deep: { x: number } };
      return { x: o.deep.x };
    });
    r.get('/throws-string', async () => {
      throw SECRET_TEXT;
    });
    r.get('/throws-null', async () => {
      throw null;
    });
    r.get('/throws-object', async () => {
      throw { message: SECRET_TEXT, code: 'EINTERNAL' };
    });
    r.get('/status-502', async () => {
      throw Object.assign(new Error(SECRET_TEXT), { statusCode: 502 });
    });
    r.get('/bad-response', { schema: { response: { 200: z.object({ id: z.uuid() }) } } }, async () => ({ id: SECRET_TEXT }) as never);
    r.get('/callback-error', (_req, reply) => {
      reply.send(new Error(SECRET_TEXT));
    });
    r.get('/app-error', async () => {
      throw new AppError('conflict', 'That name is taken.', { headers: { 'x-extra': 'yes' } });
    });
    r.post('/echo', { schema: { body: z.object({ n: z.number().int() }) } }, async (req) => ({ n: req.body.n }));
    await app.ready();
  });
  afterAll(async () => app?.close());

  it.each(['/boom', '/type-error', '/throws-string', '/throws-null', '/throws-object', '/status-502', '/bad-response', '/callback-error'])(
    '%s → 500 internal_error with nothing internal in the body',
    async (url) => {
      const res = await app.inject({ method: 'GET', url });
      const body = expectProblem(res, 500, 'internal_error');
      expect(Object.keys(body).sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
      expect(res.body).not.toContain('hunter2');
      expect(res.body).not.toContain('10.1.2.3');
      expect(res.body).not.toMatch(/stack|at .*\.ts|TypeError|undefined|EINTERNAL|Response doesn't match|uuid/i);
    },
  );

  it('keeps the details in the log', async () => {
    logLines.length = 0;
    await app.inject({ method: 'GET', url: '/boom' });
    const line = logLines.find((l) => l.msg === 'request failed');
    expect(line, JSON.stringify(logLines)).toBeTruthy();
    expect(JSON.stringify(line)).toContain('hunter2');
  });

  it('renders an AppError with its own status, code and headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/app-error' });
    const body = expectProblem(res, 409, 'conflict');
    expect(body.detail).toBe('That name is taken.');
    expect(body.type).toMatch(/conflict$/);
    expect(res.headers['x-extra']).toBe('yes');
  });

  it('keeps validation, JSON and media-type errors as 4xx', async () => {
    const invalid = await app.inject({ method: 'POST', url: '/echo', payload: { n: 1.5 } });
    expect(expectProblem(invalid, 400, 'validation_failed').errors).toEqual([{ path: 'body.n', message: expect.any(String) }]);
    const malformed = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"n":' });
    expectProblem(malformed, 400, 'validation_failed');
    const ok = await app.inject({ method: 'POST', url: '/echo', payload: { n: 2 } });
    expect(ok.json()).toEqual({ n: 2 });
  });
});
