/**
 * One admin write: the work, the target row as it was (locked first) and as it is after, and one
 * audit_logs row `{ before, after, request }` — all in one transaction, so the trail never shows a
 * change that was rolled back and never misses one that was not (decision 061). A unique clash is a
 * 409. Every module's admin CRUD goes through this; the few writes with their own shape (a user's
 * role, a credit adjustment) call `recordAudit` with their own before/after.
 */
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Clock } from '../clock.ts';
import type { Db, Tx } from '../db/types.ts';
import type { Principal } from '../http/auth.ts';
import { errors } from '../http/errors.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import { recordAudit } from './audit.ts';
import { rowSnapshot } from './audit.queries.ts';

export interface AuditTarget {
  /** `target_type` of the audit row. */
  type: string;
  /** The table whose row is the target; its state before and after goes into the row. */
  table?: PgTable;
  /** The target's id when it exists before the write (update, delete); absent for a create. */
  id?: string;
}

const isUniqueViolation = (e: unknown): boolean => {
  for (let cur: unknown = e; cur && typeof cur === 'object'; cur = (cur as { cause?: unknown }).cause) {
    if ((cur as { code?: unknown }).code === '23505') return true;
  }
  return false;
};

export function createAdminWrite(deps: { db: Db; clock: Clock }) {
  return async function write<T>(
    admin: Principal,
    meta: RequestMeta,
    action: string,
    target: AuditTarget,
    request: object,
    work: (tx: Tx) => Promise<{ id: string; view: T }>,
  ): Promise<T> {
    try {
      return await deps.db.transaction(async (tx) => {
        const before = target.table && target.id ? await rowSnapshot(tx, target.table, target.id, true) : null;
        const { id, view } = await work(tx);
        const after = target.table ? await rowSnapshot(tx, target.table, id, false) : ((view ?? null) as unknown);
        await recordAudit(tx, {
          actorType: 'admin',
          actorId: admin.userId,
          action,
          targetType: target.type,
          targetId: id,
          details: { before, after, request },
          ip: meta.ip,
          userAgent: meta.userAgent,
          at: deps.clock.now(),
        });
        return view;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw errors.conflict(`A ${target.type} with this name, slug or key exists.`);
      throw e;
    }
  };
}
export type AdminWrite = ReturnType<typeof createAdminWrite>;
