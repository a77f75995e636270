/** The signed-in user's own account: profile, password, webhook secret. */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { errors } from '../../platform/http/errors.ts';
import { actorTypeFor, recordAudit } from '../../platform/audit/audit.ts';
import type { TPatchMeBody, TUser } from './accounts.dto.ts';
import * as uq from './accounts.queries.ts';
import { rotateWebhookSecretOf } from './webhook-secret.ts';
import type { AccountsContext, RequestMeta } from './context.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { Principal } from '../../platform/http/auth.ts';
import { revokeAllApiKeys } from './api-keys.queries.ts';
import { revokeAllSessions } from './sessions.queries.ts';
import { accountView, toUserView } from './user-view.ts';

/**
 * How old a cached balance may be before GET /me reads it again: balance changes are not announced
 * across processes (decision 106), and a change made elsewhere must show within a second.
 */
export const BALANCE_MAX_AGE_MS = 500;

export function createProfileService(ctx: AccountsContext) {
  async function load(userId: string): Promise<uq.UserRow> {
    const user = await uq.findUserById(ctx.db, userId);
    if (!user) throw errors.notFound('User');
    return user;
  }

  /**
   * Answered from this process's account views when it holds one (decision 106): every commit that
   * changes what it shows but the balance makes every API process forget it, and a request that
   * changed a balance makes its own process forget it before answering; a balance read longer ago
   * than BALANCE_MAX_AGE_MS (a change made in another process) is read again on its own.
   */
  async function me(userId: string): Promise<TUser> {
    const nowMs = ctx.clock.now().getTime();
    const cached = ctx.accountViews.get(userId, nowMs);
    const readAt = ctx.accountViews.version();
    if (cached) {
      if (performance.now() - cached.balanceReadAt < BALANCE_MAX_AGE_MS) return cached.view;
      const balanceReadAt = performance.now();
      const balance = await ctx.credits.balanceOf(ctx.db, userId);
      const view = { ...cached.view, credits: { available: balance?.available ?? 0, held: balance?.held ?? 0 } };
      ctx.accountViews.set(userId, { view, expiresAtMs: cached.expiresAtMs, balanceReadAt }, readAt, nowMs);
      return view;
    }
    const balanceReadAt = performance.now();
    const account = await ctx.accountOf(userId);
    if (!account) throw errors.notFound('User');
    const { view, validUntil } = await accountView(ctx.db, account, ctx);
    ctx.accountViews.set(userId, { view, expiresAtMs: validUntil?.getTime() ?? Infinity, balanceReadAt }, readAt, nowMs);
    return view;
  }

  async function update(userId: string, body: TPatchMeBody): Promise<TUser> {
    if (body.avatar_asset_id && !(await ctx.ownsAsset(userId, body.avatar_asset_id))) throw errors.notFound('Asset');
    const now = ctx.clock.now();
    const patch: Partial<uq.NewUser> = { updatedAt: now };
    if (body.full_name !== undefined) patch.fullName = body.full_name;
    if (body.bio !== undefined) patch.bio = body.bio;
    if (body.company !== undefined) patch.company = body.company;
    if (body.locale !== undefined) patch.locale = body.locale;
    if (body.avatar_asset_id !== undefined) patch.avatarAssetId = body.avatar_asset_id;
    const user = await uq.updateUser(ctx.db, userId, patch);
    if (!user) throw errors.notFound('User');
    return toUserView(ctx.db, user, ctx);
  }

  /**
   * Changes the password, signs out every other session (the current one stays) and revokes every
   * API key. A key cannot do it: whoever holds a leaked key must not be able to lock the owner out.
   */
  async function changePassword(
    principal: Pick<Principal, 'userId' | 'sessionId' | 'apiKeyId'>,
    body: { current_password: string; new_password: string },
    meta: RequestMeta,
  ): Promise<void> {
    if (principal.apiKeyId) throw errors.apiKeyNotAllowed('change the password');
    const { userId, sessionId: currentSessionId } = principal;
    const user = await load(userId);
    if (!(await verifyPassword(user.passwordHash, body.current_password))) throw errors.invalidCredentials();
    const passwordHash = await hashPassword(body.new_password);
    const now = ctx.clock.now();
    await ctx.db.transaction(async (tx) => {
      await uq.updateUser(tx, userId, { passwordHash, updatedAt: now });
      const revoked = await revokeAllSessions(tx, userId, 'password_changed', now, currentSessionId);
      const keysRevoked = await revokeAllApiKeys(tx, userId, now);
      await recordAudit(tx, {
        actorType: actorTypeFor(user.role),
        actorId: userId,
        action: 'auth.password_changed',
        targetType: 'user',
        targetId: userId,
        details: { sessions_revoked: revoked, api_keys_revoked: keysRevoked },
        ip: meta.ip,
        userAgent: meta.userAgent,
        at: now,
      });
    });
    ctx.principals.forgetUser(userId);
  }

  /**
   * The Standard Webhooks secret outgoing webhooks are signed with: `whsec_` + base64 of 24 random
   * bytes. Created on first request; concurrent first requests agree on one.
   */
  async function webhookSecret(userId: string): Promise<string> {
    const user = await load(userId);
    if (user.webhookSecret) return user.webhookSecret;
    await uq.setWebhookSecretIfUnset(ctx.db, userId, `whsec_${randomBytes(24).toString('base64')}`, ctx.clock.now());
    return (await load(userId)).webhookSecret!;
  }

  /** A new webhook secret; the old one keeps signing for a day (decision 102). */
  async function rotateWebhookSecret(userId: string): Promise<{ secret: string; previous_valid_until: string }> {
    const rotated = await rotateWebhookSecretOf(ctx.db, userId, ctx.clock.now());
    if (!rotated) throw errors.notFound('User');
    return { secret: rotated.secret, previous_valid_until: rotated.previousValidUntil.toISOString() };
  }

  return { me, update, changePassword, webhookSecret, rotateWebhookSecret };
}
