/**
 * Keyset ("cursor") pagination: `?limit=&cursor=` in, `{ data, next_cursor }` out. The cursor is an
 * opaque base64url of the last row's sort key, so pages stay stable while rows are added.
 */
import { z } from 'zod';
import { errors } from './errors.ts';

export const ZListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
});
export type TListQuery = z.infer<typeof ZListQuery>;

export interface Cursor {
  /** ISO timestamp of the sort column. */
  t: string;
  id: string;
}

/**
 * A cursor comes back from the client, so its time is checked as PostgreSQL will read it: the ISO
 * pattern alone lets through times the database refuses (year 0, offsets past ±15:59), which would
 * turn a bad cursor into a 500. It is normalised to UTC with millisecond precision, as stored.
 */
const ZCursorTime = z.iso.datetime({ offset: true }).transform((t, ctx) => {
  const at = new Date(t);
  const year = at.getUTCFullYear();
  if (Number.isNaN(at.getTime()) || year < 1 || year > 9999) {
    ctx.addIssue({ code: 'custom', message: 'time out of range' });
    return z.NEVER;
  }
  return at.toISOString();
});

const ZCursor = z.object({ t: ZCursorTime, id: z.uuid() });

export const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    return ZCursor.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    throw errors.validation([{ path: 'query.cursor', message: 'not a cursor this API issued' }]);
  }
}

/** Queries fetch `limit + 1` rows; the extra one only says whether there is a next page. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => { createdAt: Date; id: string }) {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  const next_cursor = rows.length > limit && last ? encodeCursor({ t: keyOf(last).createdAt.toISOString(), id: keyOf(last).id }) : null;
  return { data, next_cursor };
}

export const ZPage = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), next_cursor: z.string().nullable() });
