/**
 * Turns a credential into a principal on every authenticated request. A credential this process
 * has seen lately is answered from the principal cache (principal-cache.ts, decision 070), which is
 * told on commit of every change that could end it; otherwise one indexed lookup checks that the
 * session (or key) is still live and the account still active. Either way a revoked session or a
 * disabled account stops working at once, not when its access token expires.
 */
import { safeEqual } from '../../platform/crypto.ts';
import type { Credential } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/errors.ts';
import { findApiKeyPrincipal, touchApiKey } from './api-keys.queries.ts';
import type { AccountsContext } from './context.ts';
import type { CachedPrincipal, PrincipalEntry } from './principal-cache.ts';
import { findSessionPrincipal, touchSession } from './sessions.queries.ts';
import { parseApiKey } from './tokens.ts';

const TOUCH_EVERY_MS = 60_000;

/** last_used_at is kept to the minute, so most requests read and do not write. */
const isStale = (lastUsedAtMs: number | null, nowMs: number) => lastUsedAtMs === null || nowMs - lastUsedAtMs > TOUCH_EVERY_MS;

/** Bumps a stale last_used_at; returns the time it now holds. */
async function touched(lastUsedAt: Date | null, now: Date, touch: () => Promise<void>): Promise<number> {
  if (!isStale(lastUsedAt?.getTime() ?? null, now.getTime())) return lastUsedAt!.getTime();
  await touch();
  return now.getTime();
}

export function createPrincipalResolver(ctx: AccountsContext) {
  const cache = ctx.principals;

  /** A cached answer, after bumping last_used_at if a minute has passed since the last bump. */
  async function fromCache(entry: PrincipalEntry, now: Date): Promise<CachedPrincipal> {
    const nowMs = now.getTime();
    if (isStale(entry.lastUsedAtMs, nowMs)) {
      const { apiKeyId, sessionId } = entry.principal;
      if (apiKeyId) await touchApiKey(ctx.db, apiKeyId, now);
      else if (sessionId) await touchSession(ctx.db, sessionId, now);
      entry.lastUsedAtMs = nowMs;
    }
    return entry.principal;
  }

  async function apiKeyPrincipal(key: string, now: Date): Promise<CachedPrincipal> {
    const cacheKey = `k:${key}`;
    const cached = cache.get(cacheKey, now.getTime());
    if (cached) return fromCache(cached, now);
    const readAt = cache.version();
    const parsed = parseApiKey(key);
    const row = parsed ? await findApiKeyPrincipal(ctx.db, parsed.prefix) : undefined;
    if (!parsed || !row || row.revokedAt || !safeEqual(parsed.hash, row.keyHash)) throw errors.unauthorized('The API key is not valid.');
    if (!row.isActive) throw errors.accountDisabled();
    const lastUsedAtMs = await touched(row.lastUsedAt, now, () => touchApiKey(ctx.db, row.id, now));
    const principal = { userId: row.userId, role: row.role, apiKeyId: row.id };
    cache.set(cacheKey, { principal, expiresAtMs: Number.POSITIVE_INFINITY, lastUsedAtMs }, readAt, now.getTime());
    return principal;
  }

  async function accessTokenPrincipal(token: string, now: Date): Promise<CachedPrincipal> {
    const cacheKey = `t:${token}`;
    const cached = cache.get(cacheKey, now.getTime());
    if (cached) return fromCache(cached, now);
    const readAt = cache.version();
    const claims = await ctx.tokens.verifyAccess(token, now);
    if (!claims) throw errors.unauthorized('The access token is not valid or has expired.');
    const row = await findSessionPrincipal(ctx.db, claims.sessionId, claims.userId);
    if (!row || row.revokedAt || row.expiresAt <= now) throw errors.unauthorized('This session has ended.');
    if (!row.isActive) throw errors.accountDisabled();
    const lastUsedAtMs = await touched(row.lastUsedAt, now, () => touchSession(ctx.db, claims.sessionId, now));
    // The role comes from the database, not the token: a demotion takes effect at once.
    const principal = { userId: claims.userId, role: row.role, sessionId: claims.sessionId };
    const expiresAtMs = Math.min(claims.expiresAtMs, row.expiresAt.getTime());
    cache.set(cacheKey, { principal, expiresAtMs, lastUsedAtMs }, readAt, now.getTime());
    return principal;
  }

  return async function resolvePrincipal(credential: Credential): Promise<CachedPrincipal> {
    const now = ctx.clock.now();
    return credential.kind === 'api_key' ? apiKeyPrincipal(credential.key, now) : accessTokenPrincipal(credential.token, now);
  };
}
