/**
 * Authentication for every route. A route says what it needs in its config (`auth: 'user' |
 * 'admin' | 'optional'`; none by default); this hook reads the credential, asks the accounts
 * module (injected as `resolve`) who it belongs to, and puts the principal on the request.
 *
 * Three credentials are accepted:
 * - `Authorization: Bearer <access token>` — a JWT issued at sign-in;
 * - `Authorization: Bearer atl_…` — an API key;
 * - the web app's httpOnly `atelier_access` cookie. Cookies are sent by the browser on its own, so
 *   a state-changing request authenticated this way must also echo the `atelier_csrf` cookie in the
 *   `X-CSRF-Token` header (double-submit); another site can send the cookie but cannot read it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { safeEqual } from '../crypto.ts';
import { errors } from './errors.ts';

export type Role = 'user' | 'vendor' | 'admin';
export type AuthMode = 'none' | 'optional' | 'user' | 'admin';

export interface Principal {
  userId: string;
  role: Role;
  via: 'bearer' | 'api_key' | 'cookie';
  /** The sign-in session behind a bearer or cookie token. */
  sessionId?: string;
  apiKeyId?: string;
}

export type Credential = { kind: 'access_token'; token: string } | { kind: 'api_key'; key: string };

/** Supplied by the accounts module: turns a credential into a principal or throws 401/403. */
export type ResolvePrincipal = (credential: Credential) => Promise<Omit<Principal, 'via'>>;

export const cookieNames = { access: 'atelier_access', refresh: 'atelier_refresh', csrf: 'atelier_csrf' } as const;
export const CSRF_HEADER = 'x-csrf-token';
export const API_KEY_PREFIX = 'atl_';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    auth?: AuthMode;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function readCredential(request: FastifyRequest): { credential: Credential; via: Principal['via'] } | null {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw errors.unauthorized('The Authorization header must be "Bearer <token>".');
    const token = match[1]!;
    return token.startsWith(API_KEY_PREFIX)
      ? { credential: { kind: 'api_key', key: token }, via: 'api_key' }
      : { credential: { kind: 'access_token', token }, via: 'bearer' };
  }
  const cookie = request.cookies?.[cookieNames.access];
  if (cookie) {
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      const expected = request.cookies[cookieNames.csrf];
      if (typeof sent !== 'string' || !expected || !safeEqual(sent, expected)) throw errors.csrf();
    }
    return { credential: { kind: 'access_token', token: cookie }, via: 'cookie' };
  }
  return null;
}

export function registerAuth(app: FastifyInstance, resolve: ResolvePrincipal): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const mode: AuthMode = request.routeOptions.config?.auth ?? 'none';
    if (mode === 'none') return;
    const found = readCredential(request);
    if (!found) {
      if (mode === 'optional') return;
      throw errors.unauthorized();
    }
    try {
      request.principal = { ...(await resolve(found.credential)), via: found.via };
    } catch (err) {
      // A stale cookie on an optional route is simply no sign-in.
      if (mode === 'optional') return;
      throw err;
    }
    if (mode === 'admin' && request.principal.role !== 'admin') throw errors.forbidden();
  });
}

/** The signed-in principal of a route whose config asked for one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw errors.unauthorized();
  return request.principal;
}
