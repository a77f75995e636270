/**
 * Turns a credential into a principal on every authenticated request. One indexed lookup checks
 * that the session (or key) is still live and the account still active, so a revoked session or a
 * disabled account stops working at once, not when its access token expires.
 */
import { safeEqual } from '../../platform/crypto.ts';
import type { Credential, Principal } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/errors.ts';
import { findApiKeyPrincipal, touchApiKey } from './api-keys.queries.ts';
import type { AccountsContext } from './context.ts';
import { findSessionPrincipal, touchSession } from './sessions.queries.ts';
import { parseApiKey } from './tokens.ts';

/** last_used_at is kept to the minute, so most requests read and do not write. */
const isStale = (lastUsedAt: Date | null, now: Date) => !lastUsedAt || now.getTime() - lastUsedAt.getTime() > 60_000;

export function createPrincipalResolver(ctx: AccountsContext) {
  return async function resolvePrincipal(credential: Credential): Promise<Omit<Principal, 'via'>> {
    const now = ctx.clock.now();
    if (credential.kind === 'api_key') {
      const parsed = parseApiKey(credential.key);
      const row = parsed ? await findApiKeyPrincipal(ctx.db, parsed.prefix) : undefined;
      if (!parsed || !row || row.revokedAt || !safeEqual(parsed.hash, row.keyHash)) throw errors.unauthorized('The API key is not valid.');
      if (!row.isActive) throw errors.accountDisabled();
      if (isStale(row.lastUsedAt, now)) await touchApiKey(ctx.db, row.id, now);
      return { userId: row.userId, role: row.role, apiKeyId: row.id };
    }
    const claims = await ctx.tokens.verifyAccess(credential.token, now);
    if (!claims) throw errors.unauthorized('The access token is not valid or has expired.');
    const row = await findSessionPrincipal(ctx.db, claims.sessionId, claims.userId);
    if (!row || row.revokedAt || row.expiresAt <= now) throw errors.unauthorized('This session has ended.');
    if (!row.isActive) throw errors.accountDisabled();
    if (isStale(row.lastUsedAt, now)) await touchSession(ctx.db, claims.sessionId, now);
    // The role comes from the database, not the token: a demotion takes effect at once.
    return { userId: claims.userId, role: row.role, sessionId: claims.sessionId };
  };
}
