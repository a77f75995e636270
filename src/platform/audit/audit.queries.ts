import { sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../db/types.ts';
import { auditLogs } from './audit.tables.ts';

export type NewAuditLog = typeof auditLogs.$inferInsert;

export async function insertAuditLog(db: DbOrTx, row: NewAuditLog): Promise<void> {
  await db.insert(auditLogs).values(row);
}

/**
 * One row of any table with an `id`, as the database stores it (`to_jsonb`: snake_case columns), or
 * null. `lock` takes the row lock, so the "before" of a change is the state the change replaces.
 */
export async function rowSnapshot(db: DbOrTx, table: PgTable, id: string, lock: boolean): Promise<Record<string, unknown> | null> {
  const res = (await db.execute(
    sql`select to_jsonb(t) as row from ${table} t where t.id = ${id}::uuid ${lock ? sql`for update` : sql``}`,
  )) as unknown as { rows: Array<{ row: Record<string, unknown> | string }> };
  const raw = res.rows[0]?.row;
  if (raw === undefined) return null;
  const row = typeof raw === 'string' ? (JSON.parse(raw) as Record<string, unknown>) : raw;
  // Hashes and secrets stay out of the trail: an audit reader needs to see that they changed, not them.
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, SECRET_COLUMN.test(k) && v !== null ? '[redacted]' : v]));
}

const SECRET_COLUMN = /(_hash|secret)$/;
