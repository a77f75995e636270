/**
 * Sign-in sessions: issuing a token pair, rotating it on refresh (with reuse detection), logout,
 * and the user's own list of sessions.
 *
 * Reuse grace (decision 052): two tabs share one refresh cookie and refresh together, and a refresh
 * response can be lost on the way; both present the token that was just replaced. For
 * REFRESH_GRACE_MS after a rotation that one token (and no older one) answers with the current pair
 * instead of revoking the session. The current refresh token is recomputed from the presented one
 * (tokens.chainRefresh), so it is never stored.
 */
import { randomUUID } from 'node:crypto';
import { safeEqual } from '../../platform/crypto.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import { errors } from '../../platform/http/errors.ts';
import { decodeCursor, toPage, type TListQuery } from '../../platform/http/pagination.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { UserRow } from './accounts.queries.ts';
import type { AccountsContext, RequestMeta } from './context.ts';
import * as sq from './sessions.queries.ts';
import { newRefreshToken, parseRefreshToken } from './tokens.ts';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  sessionId: string;
}

export const REFRESH_GRACE_MS = 30_000;

export function createSessionsService(ctx: AccountsContext) {
  const refreshTtlMs = ctx.config.auth.refreshTokenTtlSec * 1000;

  async function issue(db: DbOrTx, user: UserRow, meta: RequestMeta): Promise<TokenPair> {
    const now = ctx.clock.now();
    const sessionId = randomUUID();
    const refresh = newRefreshToken(sessionId, 0);
    await sq.insertSession(db, {
      id: sessionId,
      userId: user.id,
      refreshTokenHash: refresh.hash,
      rotationCounter: 0,
      userAgent: meta.userAgent?.slice(0, 512),
      ip: meta.ip,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + refreshTtlMs),
      createdAt: now,
    });
    const accessToken = await ctx.tokens.signAccess({ userId: user.id, sessionId, role: user.role }, now);
    return { accessToken, refreshToken: refresh.token, expiresIn: ctx.tokens.accessTtlSec, sessionId };
  }

  type RefreshOutcome = { ok: true; pair: TokenPair; userId: string } | { ok: false; reused: false } | { ok: false; reused: true; userId: string };

  async function refresh(token: string, meta: RequestMeta): Promise<{ pair: TokenPair; userId: string }> {
    const parsed = parseRefreshToken(token);
    if (!parsed) throw errors.unauthorized('The refresh token is not valid.');
    const now = ctx.clock.now();

    // The reuse branch must commit its revocation, so the transaction returns an outcome and the
    // 401 is thrown after it.
    const outcome = await ctx.db.transaction(async (tx): Promise<RefreshOutcome> => {
      const session = await sq.findSessionForUpdate(tx, parsed.sessionId);
      if (!session || session.revokedAt || session.expiresAt <= now) return { ok: false, reused: false };
      if (parsed.counter === session.rotationCounter - 1 && session.rotatedAt && now.getTime() - session.rotatedAt.getTime() <= REFRESH_GRACE_MS) {
        const current = ctx.tokens.chainRefresh(token, session.id, session.rotationCounter);
        if (safeEqual(current.hash, session.refreshTokenHash)) {
          const principal = await sq.findSessionPrincipal(tx, session.id, session.userId);
          if (!principal?.isActive) return { ok: false, reused: false };
          const accessToken = await ctx.tokens.signAccess({ userId: session.userId, sessionId: session.id, role: principal.role }, now);
          return {
            ok: true,
            userId: session.userId,
            pair: { accessToken, refreshToken: current.token, expiresIn: ctx.tokens.accessTtlSec, sessionId: session.id },
          };
        }
      }
      if (parsed.counter < session.rotationCounter) {
        await sq.revokeSession(tx, session.id, 'refresh_token_reuse', now);
        await recordAudit(tx, {
          actorType: 'system',
          action: 'auth.refresh_token_reused',
          targetType: 'session',
          targetId: session.id,
          details: { user_id: session.userId, presented_counter: parsed.counter, current_counter: session.rotationCounter },
          ip: meta.ip,
          userAgent: meta.userAgent,
          at: now,
        });
        return { ok: false, reused: true, userId: session.userId };
      }
      if (parsed.counter !== session.rotationCounter || !safeEqual(parsed.hash, session.refreshTokenHash)) {
        return { ok: false, reused: false };
      }
      const principal = await sq.findSessionPrincipal(tx, session.id, session.userId);
      if (!principal?.isActive) return { ok: false, reused: false };
      const counter = session.rotationCounter + 1;
      const next = ctx.tokens.chainRefresh(token, session.id, counter);
      await sq.rotateSession(tx, session.id, {
        refreshTokenHash: next.hash,
        rotationCounter: counter,
        rotatedAt: now,
        lastUsedAt: now,
        expiresAt: new Date(now.getTime() + refreshTtlMs),
        ...(meta.ip ? { ip: meta.ip } : {}),
        ...(meta.userAgent ? { userAgent: meta.userAgent.slice(0, 512) } : {}),
      });
      const accessToken = await ctx.tokens.signAccess({ userId: session.userId, sessionId: session.id, role: principal.role }, now);
      return {
        ok: true,
        userId: session.userId,
        pair: { accessToken, refreshToken: next.token, expiresIn: ctx.tokens.accessTtlSec, sessionId: session.id },
      };
    });

    if (!outcome.ok) {
      if (outcome.reused) {
        // Committed: this process stops the session's access tokens now; others hear it from the database.
        ctx.principals.forgetUser(outcome.userId);
        ctx.log.warn({ sessionId: parsed.sessionId }, 'refresh token reuse: session revoked');
      }
      throw errors.unauthorized('The refresh token is not valid.');
    }
    return { pair: outcome.pair, userId: outcome.userId };
  }

  /** Ends the session the refresh token (or the caller's access token) belongs to. Always quiet. */
  async function logout(input: { refreshToken?: string; sessionId?: string; userId?: string }): Promise<void> {
    const now = ctx.clock.now();
    if (input.refreshToken) {
      const parsed = parseRefreshToken(input.refreshToken);
      if (!parsed) return;
      const ended = await ctx.db.transaction(async (tx) => {
        const session = await sq.findSessionForUpdate(tx, parsed.sessionId);
        // Only the holder of the current token may end the session by token.
        if (session && parsed.counter === session.rotationCounter && safeEqual(parsed.hash, session.refreshTokenHash)) {
          await sq.revokeSession(tx, session.id, 'logout', now);
          return session.userId;
        }
        return null;
      });
      if (ended) ctx.principals.forgetUser(ended);
      return;
    }
    if (input.sessionId && input.userId) {
      await sq.revokeUserSession(ctx.db, input.userId, input.sessionId, 'logout', now);
      ctx.principals.forgetUser(input.userId);
    }
  }

  async function list(userId: string, currentSessionId: string | undefined, query: TListQuery) {
    const now = ctx.clock.now();
    const rows = await sq.listLiveSessions(ctx.db, userId, now, decodeCursor(query.cursor), query.limit);
    const page = toPage(rows, query.limit, (r) => r);
    return {
      data: page.data.map((s) => ({
        id: s.id,
        user_agent: s.userAgent,
        ip: s.ip,
        current: s.id === currentSessionId,
        created_at: s.createdAt.toISOString(),
        last_used_at: s.lastUsedAt.toISOString(),
        expires_at: s.expiresAt.toISOString(),
      })),
      next_cursor: page.next_cursor,
    };
  }

  async function revoke(userId: string, sessionId: string): Promise<void> {
    const done = await sq.revokeUserSession(ctx.db, userId, sessionId, 'revoked_by_user', ctx.clock.now());
    if (!done) throw errors.notFound('Session');
    ctx.principals.forgetUser(userId);
  }

  return { issue, refresh, logout, list, revoke };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
