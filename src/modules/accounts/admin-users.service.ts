/**
 * An admin's change to a user: role, active flag and a vendor's verification (PATCH
 * /admin/users/{id}, decisions 045 and 060). All of a request's changes commit in one transaction
 * with one audit row each (before and after), or none do.
 *
 * Disabling an account revokes every session and API key in that transaction; the principal resolver
 * also refuses a disabled account on every request, so its access tokens stop working at once.
 * The last active admin cannot be demoted or disabled (409): changes that could take an active
 * admin away first lock all active admins (`lockActiveAdmins`), so two of them at once are decided
 * one after the other and at least one admin always remains.
 */
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Tx } from '../../platform/db/types.ts';
import { errors } from '../../platform/http/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import type { TAdminPatchUserBody, TUser } from './accounts.dto.ts';
import * as uq from './accounts.queries.ts';
import { lockActiveAdmins, lockUser, setUserRoleAndActive } from './admin-users.queries.ts';
import { revokeAllApiKeys } from './api-keys.queries.ts';
import type { AccountsContext } from './context.ts';
import { revokeAllSessions } from './sessions.queries.ts';
import { toUserView } from './user-view.ts';

const lastAdmin = () => errors.conflict('This is the last active admin; make another admin first.');

export function createAdminUsersService(ctx: AccountsContext) {
  /** The user as GET /me shows it (balance and plan included), or 404. */
  async function view(userId: string): Promise<TUser> {
    const user = await uq.findUserById(ctx.db, userId);
    if (!user) throw errors.notFound('User');
    return toUserView(ctx.db, user, ctx);
  }

  async function patch(adminId: string, userId: string, body: TAdminPatchUserBody, meta: RequestMeta): Promise<TUser> {
    const now = ctx.clock.now();
    const audit = (tx: Tx, action: string, before: Record<string, unknown>, after: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      recordAudit(tx, { actorType: 'admin', actorId: adminId, action, targetType: 'user', targetId: userId, details: { before, after, ...extra }, ...meta, at: now });

    await ctx.db.transaction(async (tx) => {
      const mayRemoveAdmin = (body.role !== undefined && body.role !== 'admin') || body.is_active === false;
      const activeAdmins = mayRemoveAdmin ? await lockActiveAdmins(tx) : [];
      const user = await lockUser(tx, userId);
      if (!user) throw errors.notFound('User');

      const role = body.role ?? user.role;
      const isActive = body.is_active ?? user.isActive;
      const wasActiveAdmin = user.role === 'admin' && user.isActive;
      if (wasActiveAdmin && !(role === 'admin' && isActive) && activeAdmins.filter((id) => id !== userId).length === 0) throw lastAdmin();

      if (role !== user.role || isActive !== user.isActive) await setUserRoleAndActive(tx, userId, { role, isActive }, now);
      if (role !== user.role) await audit(tx, 'user.role_changed', { role: user.role }, { role });
      if (isActive !== user.isActive) {
        if (isActive) await audit(tx, 'user.enabled', { is_active: false }, { is_active: true });
        else {
          const sessionsRevoked = await revokeAllSessions(tx, userId, 'account_disabled', now);
          const apiKeysRevoked = await revokeAllApiKeys(tx, userId, now);
          await audit(tx, 'user.disabled', { is_active: true }, { is_active: false }, { sessions_revoked: sessionsRevoked, api_keys_revoked: apiKeysRevoked });
        }
      }

      if (body.vendor_verified !== undefined) {
        // Checked against the role after this request's change: "make vendor and verify" is one request.
        const profile = role === 'vendor' ? await uq.lockVendorProfile(tx, userId) : undefined;
        if (!profile) throw errors.conflict('This user is not a vendor; only vendors can be verified.');
        if (profile.isVerified !== body.vendor_verified) {
          await uq.setVendorVerified(tx, userId, body.vendor_verified, now);
          await audit(tx, body.vendor_verified ? 'vendor.verified' : 'vendor.unverified', { vendor_verified: profile.isVerified }, { vendor_verified: body.vendor_verified });
        }
      }
    });
    // Committed: a demotion or a disabled account takes effect on this process now, on others when they hear it.
    ctx.principals.forgetUser(userId);
    return view(userId);
  }

  return { view, patch };
}
