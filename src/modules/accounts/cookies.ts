/**
 * Cookie mode for the web app. A request that says `X-Atelier-Auth: cookie` gets its tokens as
 * httpOnly cookies (out of reach of page scripts) instead of in the body, plus a readable CSRF
 * cookie that state-changing requests echo in `X-CSRF-Token`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomToken, safeEqual } from '../../platform/crypto.ts';
import { CSRF_HEADER, cookieNames } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/errors.ts';
import type { TokenPair } from './sessions.service.ts';

export const COOKIE_MODE_HEADER = 'x-atelier-auth';

export const wantsCookies = (request: FastifyRequest): boolean => request.headers[COOKIE_MODE_HEADER] === 'cookie';

const REFRESH_PATH = '/api/v1/auth';

export function setAuthCookies(reply: FastifyReply, pair: TokenPair, opts: { secure: boolean; refreshTtlSec: number }): void {
  const base = { secure: opts.secure, sameSite: 'lax' as const };
  reply.setCookie(cookieNames.access, pair.accessToken, { ...base, httpOnly: true, path: '/', maxAge: pair.expiresIn });
  reply.setCookie(cookieNames.refresh, pair.refreshToken, { ...base, sameSite: 'strict', httpOnly: true, path: REFRESH_PATH, maxAge: opts.refreshTtlSec });
  reply.setCookie(cookieNames.csrf, randomToken(24), { ...base, httpOnly: false, path: '/', maxAge: opts.refreshTtlSec });
}

export function clearAuthCookies(reply: FastifyReply, opts: { secure: boolean }): void {
  reply.clearCookie(cookieNames.access, { path: '/', secure: opts.secure });
  reply.clearCookie(cookieNames.refresh, { path: REFRESH_PATH, secure: opts.secure });
  reply.clearCookie(cookieNames.csrf, { path: '/', secure: opts.secure });
}

/**
 * The refresh token of a refresh or logout request: from the body, or from the cookie. Taking it
 * from the cookie is a cookie-authenticated state change, so the CSRF header must match.
 */
export function refreshTokenOf(request: FastifyRequest, fromBody: string | undefined): string | undefined {
  if (fromBody) return fromBody;
  const cookie = request.cookies[cookieNames.refresh];
  if (!cookie) return undefined;
  const sent = request.headers[CSRF_HEADER];
  const expected = request.cookies[cookieNames.csrf];
  if (typeof sent !== 'string' || !expected || !safeEqual(sent, expected)) throw errors.csrf();
  return cookie;
}
