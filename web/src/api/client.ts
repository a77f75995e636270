/**
 * The one place the web app talks HTTP: openapi-fetch over the generated `paths`, in cookie mode.
 * - sign-in style requests send `X-Atelier-Auth: cookie`, so the tokens arrive as httpOnly cookies
 *   (an access cookie and a refresh cookie; page scripts never see either);
 * - state-changing requests echo the readable `atelier_csrf` cookie in `X-CSRF-Token`;
 * - a 401 triggers one refresh (shared by parallel 401s) and one retry; if the refresh fails, the
 *   app is told the session has ended (it then shows the sign-in screen).
 * Refusals are application/problem+json and surface as `ApiError`; `unwrap` turns openapi-fetch's
 * `{ data, error }` into a value or that throw, so callers (TanStack Query) see one shape.
 */
import createClient from 'openapi-fetch';
import type { FieldError, Problem, paths } from './types.ts';

/** The server's problem codes, plus the two only a client can meet. */
export type ErrorCode = Problem['code'] | 'network_error' | 'unknown';
type ProblemLike = Partial<Omit<Problem, 'code'>> & { code?: ErrorCode };

export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly title: string;
  readonly fieldErrors: FieldError[];
  /** The whole problem body, for the members some codes add (`quota_exceeded`: limit, used, resets_at). */
  readonly problem: Record<string, unknown>;

  constructor(status: number, problem: ProblemLike) {
    super(problem.detail || problem.title || `Request failed (${status}).`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? 'unknown';
    this.title = problem.title ?? '';
    this.fieldErrors = Array.isArray(problem.errors) ? problem.errors : [];
    this.problem = { ...problem };
  }
}

export const API_BASE = '/api/v1';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const COOKIE_AUTH = 'X-Atelier-Auth';

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The readable CSRF cookie exists while a cookie session might be alive. */
export const hasSessionHint = (): boolean => Boolean(readCookie('atelier_csrf'));

let onSessionExpired: (() => void) | null = null;
/** The app registers what to do when a session cannot be refreshed (go to sign-in). */
export function setSessionExpiredHandler(fn: (() => void) | null): void {
  onSessionExpired = fn;
}

/** The language on screen; every request asks for the server's words in it (decision 104). */
let language: string | null = null;
export function setRequestLanguage(lang: string): void {
  language = lang;
}

/** Sends one request with the CSRF cookie as it is now (a refresh may have rotated it). */
async function send(request: Request): Promise<Response> {
  if (language) request.headers.set('Accept-Language', language);
  if (STATE_CHANGING.has(request.method)) {
    const csrf = readCookie('atelier_csrf');
    if (csrf) request.headers.set('X-CSRF-Token', csrf);
  }
  try {
    return await fetch(request);
  } catch {
    throw new ApiError(0, { code: 'network_error', detail: 'Could not reach the server. Check your connection and try again.' });
  }
}

/** One refresh at a time: parallel 401s share it. */
let refreshing: Promise<boolean> | null = null;

export function refreshSession(): Promise<boolean> {
  refreshing ??= send(
    new Request(`${API_BASE}/auth/refresh`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', [COOKIE_AUTH]: 'cookie' },
      body: '{}',
    }),
  )
    .then((res) => res.ok)
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/**
 * The fetch openapi-fetch calls: on a 401 of an ordinary request, refresh and send a copy again.
 * Sign-in style requests (they carry `X-Atelier-Auth`) answer 401 for wrong credentials: no retry.
 */
async function authFetch(request: Request): Promise<Response> {
  const retryable = !request.headers.has(COOKIE_AUTH);
  const copy = retryable ? request.clone() : null;
  const res = await send(request);
  if (res.status !== 401 || !copy) return res;
  if (await refreshSession()) return send(copy);
  onSessionExpired?.();
  return res;
}

export const client = createClient<paths>({
  fetch: authFetch,
  credentials: 'same-origin',
  headers: { Accept: 'application/json, application/problem+json' },
});

/** The header pair of sign-in style requests (register, login, logout, OTP verify). */
export const cookieAuth = { [COOKIE_AUTH]: 'cookie' } as const;

/** A fresh key per user action: a double click or a retried request cannot pay twice. */
export const idempotencyKey = () => ({ 'idempotency-key': crypto.randomUUID() });

/** openapi-fetch's answer as the value, or an `ApiError` built from the problem. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const problem = error && typeof error === 'object' ? (error as ProblemLike) : {};
  throw new ApiError(response.status, problem);
}
