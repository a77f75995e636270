import type { DbOrTx } from '../db/types.ts';
import { auditLogs } from './audit.tables.ts';

export type NewAuditLog = typeof auditLogs.$inferInsert;

export async function insertAuditLog(db: DbOrTx, row: NewAuditLog): Promise<void> {
  await db.insert(auditLogs).values(row);
}
