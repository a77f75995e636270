/**
 * The audit trail. Rows are written in the same transaction as the change they describe, so the
 * log never claims something that was rolled back (a failed login is its own small write).
 */
import type { DbOrTx } from '../db/types.ts';
import type { AuditActorType } from './audit.tables.ts';
import { insertAuditLog } from './audit.queries.ts';

export interface AuditEntry {
  actorType: AuditActorType;
  actorId?: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
  ip?: string;
  userAgent?: string;
  at: Date;
}

export async function recordAudit(db: DbOrTx, e: AuditEntry): Promise<void> {
  await insertAuditLog(db, {
    actorType: e.actorType,
    actorId: e.actorId ?? null,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    details: e.details ?? {},
    ip: e.ip,
    userAgent: e.userAgent,
    createdAt: e.at,
  });
}

/** The audit actor type of a signed-in user. */
export const actorTypeFor = (role: 'user' | 'vendor' | 'admin'): AuditActorType => role;
