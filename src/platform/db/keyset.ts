import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Cursor } from '../http/pagination.ts';

/**
 * The WHERE part of a newest-first keyset page: rows strictly after the cursor in
 * (created_at desc, id desc) order. Timestamps are stored with millisecond precision so the cursor,
 * a JS Date, names a row exactly.
 */
export function afterCursor(createdAt: PgColumn, id: PgColumn, cursor: Cursor | undefined): SQL | undefined {
  if (!cursor) return undefined;
  return sql`(${createdAt}, ${id}) < (${cursor.t}::timestamptz, ${cursor.id}::uuid)`;
}
