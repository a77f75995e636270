/**
 * Keyset pagination through a real list route (GET /api/v1/me/sessions): walking every page, and
 * cursors that were not issued by the API answered with 400, never a database error.
 * Real: buildApp() on the test database (PGlite, or PostgreSQL with TEST_DATABASE_URL), sessions
 * made by real sign-ins. Stand-ins: createTestApp's (outbox, manual clock).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/platform/http/pagination.ts';
import { signUp } from '../helpers/accounts.ts';
import { call, createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let token: string;
const SESSIONS = 5;

beforeAll(async () => {
  t = await createTestApp();
  const user = await signUp(t.app);
  token = user.access_token;
  for (let i = 1; i < SESSIONS; i++) {
    const res = await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password } });
    expect(res.statusCode, res.body).toBe(200);
  }
});
afterAll(async () => t?.close());

const list = (query: string) => call(t.app, 'GET', `/api/v1/me/sessions${query}`, { token });

describe('GET /api/v1/me/sessions pages', () => {
  it('walks every row exactly once, newest first', async () => {
    const seen: { id: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.data.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.data.data);
      cursor = res.data.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toHaveLength(SESSIONS);
    expect(new Set(seen.map((s) => s.id)).size).toBe(SESSIONS);
    expect(pages).toBe(Math.ceil(SESSIONS / 2));
    const all = await list('?limit=100');
    expect(all.data.data.map((s: { id: string }) => s.id)).toEqual(seen.map((s) => s.id));
    expect(all.data.next_cursor).toBeNull();
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['a bad id', encodeCursor({ t: '2025-01-01T00:00:00Z', id: 'x' })],
    ['year 0', encodeCursor({ t: '0000-01-01T00:00:00Z', id: '3f2a6c1e-9b7d-4e2f-8a1c-5d6e7f809a1b' })],
  ])('answers a cursor with %s with 400 validation_failed', async (_what, cursor) => {
    const res = await list(`?cursor=${encodeURIComponent(cursor)}`);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.data).toMatchObject({ code: 'validation_failed', errors: [{ path: 'query.cursor' }] });
  });

  it('reads a cursor time with an offset PostgreSQL would refuse as the same instant in UTC', async () => {
    const res = await list(`?cursor=${encodeCursor({ t: '2999-01-01T00:00:00+23:59', id: '3f2a6c1e-9b7d-4e2f-8a1c-5d6e7f809a1b' })}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.data).toHaveLength(SESSIONS);
  });

  it('answers a bad limit with 400 validation_failed', async () => {
    for (const limit of ['0', '101', 'x']) {
      const res = await list(`?limit=${limit}`);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.data.code).toBe('validation_failed');
    }
  });
});
