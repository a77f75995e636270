/**
 * What the client throws. Every refusal of the API is problem+json with a stable `code`; the client
 * turns it into one `AtelierError` so callers branch on `code`, never on message text.
 */
import type { components } from './schema.js';

export type Problem = components['schemas']['Problem'];
export type ProblemCode = Problem['code'];

export class AtelierError extends Error {
  /** The HTTP status (0 when the request never got an answer). */
  readonly status: number;
  /** Stable, for programs: `insufficient_credits`, `not_found`, `validation_failed`, … */
  readonly code: ProblemCode | 'network_error' | 'unexpected_response';
  /** The problem+json body as the server sent it, when it sent one. */
  readonly problem: Problem | undefined;
  /** The server's `X-Request-Id`, to quote when asking the operator. */
  readonly requestId: string | undefined;

  constructor(message: string, opts: { status: number; code: AtelierError['code']; problem?: Problem; requestId?: string | undefined; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AtelierError';
    this.status = opts.status;
    this.code = opts.code;
    this.problem = opts.problem;
    this.requestId = opts.requestId;
  }

  /** From a non-2xx answer: its problem+json when it is one, else a generic `unexpected_response`. */
  static fromResponse(response: Response, body: unknown): AtelierError {
    const requestId = response.headers.get('x-request-id') ?? undefined;
    if (isProblem(body)) return new AtelierError(body.detail, { status: response.status, code: body.code, problem: body, requestId });
    return new AtelierError(`HTTP ${response.status} without a problem body`, { status: response.status, code: 'unexpected_response', requestId });
  }
}

/** A generation that ended `failed` or `cancelled` where the caller asked for a result (`generations.run`). */
export class GenerationFailedError extends Error {
  readonly generation: { id: string; status: string; error?: { code: string; message: string } | null };

  constructor(generation: GenerationFailedError['generation']) {
    super(`generation ${generation.id} ${generation.status}${generation.error ? `: ${generation.error.message}` : ''}`);
    this.name = 'GenerationFailedError';
    this.generation = generation;
  }
}

function isProblem(body: unknown): body is Problem {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  return typeof b.code === 'string' && typeof b.status === 'number' && typeof b.detail === 'string';
}
