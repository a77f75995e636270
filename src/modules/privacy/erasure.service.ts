/**
 * DELETE /me: erases an account. A subscription the payment provider renews is cancelled there
 * first (outside any transaction). One transaction then checks the password again, removes what would still
 * name the person (privacy.queries.ts scrubPersonalTraces), deletes the user row — its own rows
 * cascade, while the books (ledger rows, payments, redemptions, audit rows) stay with the user set
 * to null — and enqueues the deletion of the user's files. Files go after the commit, by a retried
 * job: a storage hiccup cannot undo an erasure, and a rolled-back erasure deletes no file.
 */
import { errors } from '../../platform/http/errors.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { verifyPassword } from '../accounts/index.ts';
import { assetFolderOf } from '../media/index.ts';
import type { PrivacyDeps } from './context.ts';
import * as q from './privacy.queries.ts';
import { eraseFilesJob } from './privacy.jobs.ts';
import { exportFolderOf } from './export.service.ts';

/** Every storage folder that holds a user's files. */
export const userFolders = (userId: string) => [assetFolderOf(userId), exportFolderOf(userId)];

export function createErasureService(deps: PrivacyDeps) {
  async function erase(userId: string, password: string): Promise<void> {
    const user = await q.lockUser(deps.db, userId);
    if (!user) throw errors.notFound('User');
    // argon2 takes tens of milliseconds: check outside the transaction, then again under the lock.
    if (!(await verifyPassword(user.password_hash, password))) throw errors.invalidCredentials();
    // A subscription Stripe renews would go on charging once its row is gone: it ends first, and if
    // Stripe cannot be told, nothing is erased (502) and the person may try again (decision 054).
    await deps.providerSubscriptions.endForErasure(userId);
    const now = deps.clock.now();
    await deps.db.transaction(async (tx) => {
      const locked = await q.lockUser(tx, userId);
      if (!locked) throw errors.notFound('User');
      if (locked.password_hash !== user.password_hash) throw errors.invalidCredentials();
      if (locked.role === 'admin' && (await q.countOtherActiveAdmins(tx, userId)) === 0) {
        throw errors.conflict('The last active admin cannot erase their account; make someone else an admin first.');
      }
      await q.scrubPersonalTraces(tx, locked);
      await q.deleteUser(tx, userId);
      await recordAudit(tx, { actorType: 'system', action: 'account.erased', targetType: 'user', targetId: userId, details: { role: locked.role }, at: now });
      await deps.queue.send(eraseFilesJob, { user_id: userId }, { tx });
    });
    deps.forgetPrincipals(userId);
  }

  /** The job: deletes the user's storage folders. Idempotent. */
  async function eraseFiles(userId: string): Promise<number> {
    let removed = 0;
    for (const folder of userFolders(userId)) removed += await deps.storage.deletePrefix(folder);
    return removed;
  }

  return { erase, eraseFiles };
}
export type ErasureService = ReturnType<typeof createErasureService>;
