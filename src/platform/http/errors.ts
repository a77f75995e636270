/**
 * One error type for the whole application. Services throw `AppError`s (usually through the named
 * constructors in `errors`), and one handler renders them as application/problem+json.
 */
export const errorCodes = {
  validation_failed: 400,
  invalid_code: 400,
  bad_request: 400,
  invalid_signature: 400,
  /** No configured image provider can run the generation type (e.g. text-to-image with only `local`). */
  provider_unavailable: 400,
  invalid_credentials: 401,
  unauthorized: 401,
  insufficient_credits: 402,
  forbidden: 403,
  account_disabled: 403,
  api_key_not_allowed: 403,
  verification_required: 403,
  quota_exceeded: 403,
  csrf_failed: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  idempotency_conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  range_not_satisfiable: 416,
  rate_limited: 429,
  too_many_attempts: 429,
  internal_error: 500,
  payment_provider_error: 502,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details:
    | {
        errors?: FieldError[];
        headers?: Record<string, string>;
        /** Extension members of the problem body (RFC 9457), e.g. a quota's `limit`, `used`, `resets_at`. */
        extensions?: Record<string, string | number | null>;
        [k: string]: unknown;
      }
    | undefined;

  constructor(code: ErrorCode, message: string, details?: AppError['details'], status: number = errorCodes[code]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** Named constructors, so a call site reads as the failure it reports. */
export const errors = {
  validation: (errs: FieldError[], message = 'The request is not valid.') => new AppError('validation_failed', message, { errors: errs }),
  badRequest: (message: string) => new AppError('bad_request', message),
  invalidCredentials: () => new AppError('invalid_credentials', 'The credentials are not valid.'),
  unauthorized: (message = 'Authentication is required.') => new AppError('unauthorized', message),
  forbidden: (message = 'You may not do that.') => new AppError('forbidden', message),
  accountDisabled: () => new AppError('account_disabled', 'This account is disabled.'),
  apiKeyNotAllowed: (what: string) => new AppError('api_key_not_allowed', `An API key cannot ${what}; sign in with the password.`),
  verificationRequired: (what: string) => new AppError('verification_required', `Verify the account's email or phone first to ${what}.`),
  csrf: () => new AppError('csrf_failed', 'A valid CSRF token is required for cookie-authenticated requests.'),
  notFound: (what = 'Resource') => new AppError('not_found', `${what} not found.`),
  conflict: (message: string) => new AppError('conflict', message),
  idempotencyConflict: () =>
    new AppError('idempotency_conflict', 'This Idempotency-Key was already used with a different request.'),
  invalidCode: () => new AppError('invalid_code', 'The code is wrong or has expired.'),
  tooManyAttempts: () => new AppError('too_many_attempts', 'Too many wrong codes; request a new one.'),
  rateLimited: (retryAfterSec: number, detail: { message?: string; extensions?: Record<string, string | number | null> } = {}) =>
    new AppError('rate_limited', detail.message ?? 'Too many requests; slow down.', {
      headers: { 'retry-after': String(retryAfterSec) },
      ...(detail.extensions ? { extensions: detail.extensions } : {}),
    }),
  /**
   * API.md's quota answer: what the plan allows (`limit`), what is used, and when it resets
   * (`resets_at`, null for a standing limit such as storage or the album quota); nothing was held.
   */
  quotaExceeded: (message: string, quota: { limit: number; used: number; resets_at: string | null } & Record<string, string | number | null>) =>
    new AppError('quota_exceeded', message, { extensions: quota }),
  payloadTooLarge: (message = 'The request body is too large.') => new AppError('payload_too_large', message),
  unsupportedMediaType: (message = 'This content type is not supported.') => new AppError('unsupported_media_type', message),
  invalidSignature: (message = 'The signature is missing or does not match the body.') => new AppError('invalid_signature', message),
  /** A payment provider refused a request or could not be reached; nothing was changed here. */
  providerUnavailable: (message: string) => new AppError('provider_unavailable', message),
  paymentProvider: (message: string) => new AppError('payment_provider_error', message),
  /** RFC 9110 §15.5.17: the answer names the current size so the client can ask again. */
  rangeNotSatisfiable: (size: number) =>
    new AppError('range_not_satisfiable', `The requested range is outside the ${size} bytes of this file.`, {
      headers: { 'content-range': `bytes */${size}` },
    }),
} as const;
