/** Following a keyset-paginated list to its end, as a client would. */
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call } from './app.ts';

/** Every row of `url` (under /api/v1), `limit` at a time, checking each page's size and answer. */
export async function allPages(app: FastifyInstance, token: string, url: string, limit: number): Promise<any[]> {
  const rows: any[] = [];
  let cursor: string | null = null;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res = await call(app, 'GET', `/api/v1${url}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.data.length).toBeLessThanOrEqual(limit);
    rows.push(...res.data.data);
    cursor = res.data.next_cursor;
  } while (cursor);
  return rows;
}
