/**
 * The one way the external adapters talk HTTP. Every request gets a signal that fires on the run's
 * own abort (cancel, shutdown, deadline) or on a per-request timeout capped by the time left before
 * the deadline; every request is reported through ctx.recordCall; every failure leaves as a
 * ProviderError whose code and `retryable` flag follow one table (docs/decisions/018):
 *
 *   network error, per-request timeout, 408, 409, 429, 5xx   → provider_error, retryable
 *   400, 404, 413, 415, 422                                  → invalid_input
 *   401, 403 (or a service's "bad key" / "no quota" answer)  → provider_unavailable
 *   a service's safety refusal                               → content_policy
 *   the run's deadline                                       → timeout
 *   the run's signal aborted before its deadline             → cancelled
 *   a 2xx body that does not match the documented shape      → provider_error, final
 */
import type { z } from 'zod';
import type { Clock } from '../../../../platform/clock.ts';
import { ProviderError, type ProviderErrorCode, type ProviderId, type RunContext } from '../provider.ts';

export interface HttpDeps {
  provider: ProviderId;
  fetch: typeof fetch;
  clock: Clock;
  /** Longest wait for one request (headers and body), before the deadline cap. */
  timeoutMs: number;
  /** Reads a failed answer's body into the service's own error code and text. */
  readError: (status: number, body: unknown) => ServiceError;
}

/** What a service said when it refused a request. `kind` overrides the status-based mapping. */
export interface ServiceError {
  code?: string;
  message?: string;
  kind?: 'content_policy' | 'unavailable' | 'invalid_input' | 'retryable';
  /** A wait the body asked for (Google's RetryInfo), used when there is no Retry-After header. */
  retryAfterMs?: number;
}

export interface HttpCall {
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** A JSON value (sent as application/json) or FormData (multipart). */
  json?: unknown;
  form?: FormData;
  /** Recorded in provider_calls: ids, model, sizes, never keys or image bytes. */
  summary?: Record<string, unknown>;
  /**
   * A request that must go out although the run was aborted (the cancel of a remote job): it
   * ignores ctx.signal and the deadline and has only its own timeout.
   */
  detached?: boolean;
}

export interface JsonAnswer<T> {
  data: T;
  status: number;
  headers: Headers;
}

/** Larger downloads are refused: no image a provider returns for these types comes near it. */
export const MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024;
const DETACHED_TIMEOUT_MS = 10_000;

export function createHttp(deps: HttpDeps) {
  const now = () => deps.clock.now().getTime();

  function record(ctx: RunContext, call: HttpCall, startedAt: number, outcome: { ok: boolean; httpStatus?: number; response?: Record<string, unknown>; costMicros?: number }) {
    ctx.recordCall({
      provider: deps.provider,
      operation: call.operation,
      status: outcome.ok ? 'ok' : 'error',
      ...(outcome.httpStatus === undefined ? {} : { httpStatus: outcome.httpStatus }),
      latencyMs: Math.max(0, now() - startedAt),
      request: { method: call.method, path: pathOf(call.url), ...call.summary },
      ...(outcome.response ? { response: outcome.response } : {}),
      ...(outcome.costMicros === undefined ? {} : { costMicros: outcome.costMicros }),
    });
  }

  /** Sends one request; resolves with the raw Response once its status is 2xx and its body read. */
  async function send(call: HttpCall, ctx: RunContext): Promise<{ res: Response; body: Buffer; startedAt: number }> {
    const startedAt = now();
    let timer: AbortSignal;
    let cappedByDeadline = false;
    let signal: AbortSignal;
    if (call.detached) {
      timer = AbortSignal.timeout(DETACHED_TIMEOUT_MS);
      signal = timer;
    } else {
      if (ctx.signal.aborted) throw abortedRun(ctx, deps, now());
      const left = ctx.deadline.getTime() - startedAt;
      if (left <= 0) throw new ProviderError('timeout', `The deadline passed before ${deps.provider} ${call.operation} was sent.`);
      cappedByDeadline = left < deps.timeoutMs;
      timer = AbortSignal.timeout(Math.min(deps.timeoutMs, left));
      signal = AbortSignal.any([ctx.signal, timer]);
    }

    const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
    let body: string | FormData | undefined;
    if (call.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.json);
    } else if (call.form) {
      body = call.form;
    }

    let res: Response;
    let bytes: Buffer;
    try {
      res = await deps.fetch(call.url, { method: call.method, headers, body, signal });
      bytes = await readCapped(res);
    } catch (err) {
      record(ctx, call, startedAt, { ok: false, response: { error: errorName(err) } });
      if (err instanceof ProviderError) throw err;
      if (!call.detached && ctx.signal.aborted) throw abortedRun(ctx, deps, now(), err);
      if (timer.aborted) {
        if (cappedByDeadline) throw new ProviderError('timeout', `The deadline passed while waiting for ${deps.provider} ${call.operation}.`, { cause: err });
        const seconds = Math.round((call.detached ? DETACHED_TIMEOUT_MS : deps.timeoutMs) / 1000);
        throw new ProviderError('provider_error', `${deps.provider} ${call.operation} did not answer within ${seconds} s.`, { retryable: true, cause: err });
      }
      throw new ProviderError('provider_error', `${deps.provider} could not be reached (${call.operation}).`, { retryable: true, cause: err });
    }

    if (res.status < 200 || res.status >= 300) {
      const parsed = parseJson(bytes);
      const info = deps.readError(res.status, parsed);
      record(ctx, call, startedAt, { ok: false, httpStatus: res.status, response: { ...(info.code ? { error_code: info.code } : {}) } });
      throw statusError(deps.provider, call.operation, res.status, info, retryAfterMs(res.headers, now()) ?? info.retryAfterMs);
    }
    return { res, body: bytes, startedAt };
  }

  return {
    /** A JSON request whose 2xx answer is checked against `schema`. */
    async json<T>(
      call: HttpCall,
      ctx: RunContext,
      schema: z.ZodType<T>,
      summarize?: (data: T) => { response?: Record<string, unknown>; costMicros?: number },
    ): Promise<JsonAnswer<T>> {
      const { res, body, startedAt } = await send(call, ctx);
      const parsed = schema.safeParse(parseJson(body));
      if (!parsed.success) {
        record(ctx, call, startedAt, { ok: false, httpStatus: res.status, response: { error: 'malformed_response' } });
        throw new ProviderError('provider_error', `${deps.provider} ${call.operation} answered HTTP ${res.status} with a body that does not match its documented shape.`, {
          httpStatus: res.status,
        });
      }
      const extra = summarize?.(parsed.data) ?? {};
      record(ctx, call, startedAt, { ok: true, httpStatus: res.status, ...extra });
      return { data: parsed.data, status: res.status, headers: res.headers };
    },

    /** A download (an output image): bytes and the Content-Type the server gave. */
    async bytes(call: HttpCall, ctx: RunContext): Promise<{ bytes: Buffer; contentType: string | undefined }> {
      const { res, body, startedAt } = await send(call, ctx);
      const contentType = res.headers.get('content-type') ?? undefined;
      record(ctx, call, startedAt, { ok: true, httpStatus: res.status, response: { bytes: body.length, content_type: contentType } });
      return { bytes: body, contentType };
    },
  };
}

export type Http = ReturnType<typeof createHttp>;

/** The ProviderError for a non-2xx answer (see the table at the top of this file). */
export function statusError(provider: ProviderId, operation: string, status: number, info: ServiceError, retryAfter?: number): ProviderError {
  const said = [info.code, info.message ? clip(info.message) : undefined].filter(Boolean).join(': ');
  const message = `${provider} ${operation} answered HTTP ${status}${said ? ` (${said})` : ''}.`;
  const make = (code: ProviderErrorCode, retryable = false) =>
    new ProviderError(code, message, { retryable, httpStatus: status, ...(retryable && retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}) });
  if (info.kind === 'content_policy') return make('content_policy');
  if (info.kind === 'unavailable') return make('provider_unavailable');
  if (info.kind === 'invalid_input') return make('invalid_input');
  if (info.kind === 'retryable') return make('provider_error', true);
  if (status === 401 || status === 403) return make('provider_unavailable');
  if (status === 408 || status === 409 || status === 429 || status >= 500) return make('provider_error', true);
  if (status === 400 || status === 404 || status === 413 || status === 415 || status === 422) return make('invalid_input');
  return make('provider_error');
}

/** Why an aborted run stopped: its deadline, or a cancel/shutdown before it. */
export function abortedRun(ctx: RunContext, deps: { provider: ProviderId }, nowMs: number, cause?: unknown): ProviderError {
  if (nowMs >= ctx.deadline.getTime()) return new ProviderError('timeout', `The deadline passed during the ${deps.provider} run.`, { cause });
  return new ProviderError('cancelled', `The ${deps.provider} run was cancelled.`, { cause });
}

/** Waits, or rejects with the run's abort as a ProviderError. */
export function sleep(ms: number, ctx: RunContext, deps: { provider: ProviderId; clock: Clock }): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ctx.signal.aborted) return reject(abortedRun(ctx, deps, deps.clock.now().getTime()));
    const onAbort = () => {
      clearTimeout(t);
      reject(abortedRun(ctx, deps, deps.clock.now().getTime()));
    };
    const t = setTimeout(() => {
      ctx.signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function retryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function readCapped(res: Response): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > MAX_DOWNLOAD_BYTES) {
    await res.body?.cancel();
    throw new ProviderError('provider_error', `An answer of ${declared} bytes is larger than the ${MAX_DOWNLOAD_BYTES}-byte limit.`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (!res.body) return Buffer.alloc(0);
  for await (const chunk of res.body) {
    total += chunk.length;
    if (total > MAX_DOWNLOAD_BYTES) throw new ProviderError('provider_error', `An answer larger than the ${MAX_DOWNLOAD_BYTES}-byte limit was refused.`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The path only: query strings can carry signatures. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

const errorName = (err: unknown) => (err instanceof Error ? err.name : 'error');

/** Service messages are shortened before they reach logs and error texts. */
export const clip = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max)}…` : text);
