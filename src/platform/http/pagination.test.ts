// Real: the cursor codec, the list-query schema and toPage. Stand-in: plain rows made up in the
// test instead of database results (the SQL side is covered through the API in
// test/platform/pagination.test.ts).
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { decodeCursor, encodeCursor, toPage, ZListQuery, ZPage } from './pagination.ts';
import { z } from 'zod';

const ID = '3f2a6c1e-9b7d-4e2f-8a1c-5d6e7f809a1b';
const enc = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function expectBadCursor(raw: string) {
  let caught: unknown;
  try {
    decodeCursor(raw);
  } catch (err) {
    caught = err;
  }
  expect(caught, `cursor ${JSON.stringify(raw)} was accepted`).toBeInstanceOf(AppError);
  const err = caught as AppError;
  expect(err.code).toBe('validation_failed');
  expect(err.status).toBe(400);
  expect(err.details?.errors).toEqual([{ path: 'query.cursor', message: expect.any(String) }]);
}

describe('encodeCursor / decodeCursor', () => {
  it('round-trips a cursor as opaque base64url', () => {
    const c = { t: '2025-03-04T05:06:07.089Z', id: ID };
    const raw = encodeCursor(c);
    expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(raw).not.toContain(ID);
    expect(decodeCursor(raw)).toEqual(c);
  });

  it('treats a missing or empty cursor as the first page', () => {
    expect(decodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor('')).toBeUndefined();
  });

  it('drops fields it does not know', () => {
    expect(decodeCursor(enc({ t: '2025-03-04T05:06:07.089Z', id: ID, admin: true }))).toEqual({ t: '2025-03-04T05:06:07.089Z', id: ID });
  });

  it.each([
    ['not base64 at all', '!!!***'],
    ['base64 of non-JSON', enc('hello')],
    ['JSON that is not an object', enc('42')],
    ['JSON null', enc('null')],
    ['a missing id', enc({ t: '2025-03-04T05:06:07.089Z' })],
    ['an id that is not a uuid', enc({ t: '2025-03-04T05:06:07.089Z', id: '1 or 1=1' })],
    ['a time that is not ISO', enc({ t: 'yesterday', id: ID })],
    ['a date that does not exist', enc({ t: '2025-02-30T00:00:00Z', id: ID })],
    ['a time without a zone', enc({ t: '2025-03-04T05:06:07', id: ID })],
    ['year 0, which PostgreSQL refuses', enc({ t: '0000-01-01T00:00:00Z', id: ID })],
    ['a number for t', enc({ t: 1741064767, id: ID })],
  ])('rejects %s with 400 validation_failed', (_what, raw) => {
    expectBadCursor(raw);
  });

  it('normalises the time to UTC with milliseconds, whatever offset it came with', () => {
    expect(decodeCursor(enc({ t: '2025-03-04T05:06:07+03:30', id: ID }))).toEqual({ t: '2025-03-04T01:36:07.000Z', id: ID });
    // PostgreSQL refuses offsets past ±15:59; in UTC the same instant is fine.
    expect(decodeCursor(enc({ t: '2025-03-04T05:06:07+23:59', id: ID }))?.t).toBe('2025-03-03T05:07:07.000Z');
    expect(decodeCursor(enc({ t: '2025-03-04T05:06:07.123456Z', id: ID }))?.t).toBe('2025-03-04T05:06:07.123Z');
  });
});

describe('toPage', () => {
  const rows = Array.from({ length: 5 }, (_, i) => ({
    id: `00000000-0000-4000-8000-00000000000${i}`,
    createdAt: new Date(Date.UTC(2025, 0, 10 - i)),
  }));

  it('returns the first `limit` rows and a cursor naming the last of them when there are more', () => {
    const page = toPage(rows.slice(0, 3), 2, (r) => r);
    expect(page.data).toEqual(rows.slice(0, 2));
    expect(decodeCursor(page.next_cursor!)).toEqual({ t: rows[1]!.createdAt.toISOString(), id: rows[1]!.id });
  });

  it('has no next cursor when the extra row is not there', () => {
    expect(toPage(rows.slice(0, 2), 2, (r) => r)).toEqual({ data: rows.slice(0, 2), next_cursor: null });
    expect(toPage(rows.slice(0, 1), 2, (r) => r)).toEqual({ data: rows.slice(0, 1), next_cursor: null });
    expect(toPage([], 20, (r: (typeof rows)[number]) => r)).toEqual({ data: [], next_cursor: null });
  });

  it('uses keyOf for rows whose sort key is named differently', () => {
    const other = rows.map((r) => ({ key: r.id, at: r.createdAt }));
    const page = toPage(other, 4, (r) => ({ id: r.key, createdAt: r.at }));
    expect(page.data).toHaveLength(4);
    expect(decodeCursor(page.next_cursor!)?.id).toBe(rows[3]!.id);
  });

  it('fits ZPage', () => {
    const schema = ZPage(z.object({ id: z.string(), createdAt: z.date() }));
    expect(schema.safeParse(toPage(rows, 2, (r) => r)).success).toBe(true);
  });
});

describe('ZListQuery', () => {
  it('defaults limit to 20 and coerces query strings', () => {
    expect(ZListQuery.parse({})).toEqual({ limit: 20 });
    expect(ZListQuery.parse({ limit: '5', cursor: 'abc' })).toEqual({ limit: 5, cursor: 'abc' });
  });

  it.each(['0', '101', '1.5', 'ten', '-1'])('rejects limit=%s', (limit) => {
    expect(ZListQuery.safeParse({ limit }).success).toBe(false);
  });

  it('rejects an oversized cursor', () => {
    expect(ZListQuery.safeParse({ cursor: 'a'.repeat(513) }).success).toBe(false);
  });
});
