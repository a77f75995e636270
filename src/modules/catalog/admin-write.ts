/** One admin change: the work and its audit row in one transaction; a unique clash is a 409. */
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/types.ts';
import type { Principal } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/errors.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';

/** What the audit row of an admin write records of the request. */
export type AdminMeta = RequestMeta;

const isUniqueViolation = (e: unknown): boolean => {
  for (let cur: unknown = e; cur && typeof cur === 'object'; cur = (cur as { cause?: unknown }).cause) {
    if ((cur as { code?: unknown }).code === '23505') return true;
  }
  return false;
};

export function createAdminWrite(deps: { db: Db; clock: Clock }) {
  return async function write<T>(
    admin: Principal,
    meta: AdminMeta,
    action: string,
    targetType: string,
    details: Record<string, unknown>,
    work: (tx: Tx) => Promise<{ id: string; view: T }>,
  ): Promise<T> {
    try {
      return await deps.db.transaction(async (tx) => {
        const { id, view } = await work(tx);
        await recordAudit(tx, { actorType: 'admin', actorId: admin.userId, action, targetType, targetId: id, details, ip: meta.ip, userAgent: meta.userAgent, at: deps.clock.now() });
        return view;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw errors.conflict(`A ${targetType} with this name, slug or key exists.`);
      throw e;
    }
  };
}
export type AdminWrite = ReturnType<typeof createAdminWrite>;
