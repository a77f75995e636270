/**
 * Renders every failure as RFC 9457 problem+json with a stable `code`. Errors that are not ours
 * become a 500 whose body says nothing about the internals; the log keeps the details.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDependencyDown } from '../dependency-down.ts';
import { AppError, errorCodes, type ErrorCode, type FieldError } from './errors.ts';

const titles: Partial<Record<ErrorCode, string>> = {
  validation_failed: 'Validation failed',
  invalid_credentials: 'Invalid credentials',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  idempotency_conflict: 'Idempotency conflict',
  insufficient_credits: 'Insufficient credits',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  range_not_satisfiable: 'Range not satisfiable',
  rate_limited: 'Too many requests',
  too_many_attempts: 'Too many attempts',
  invalid_code: 'Invalid code',
  account_disabled: 'Account disabled',
  internal_error: 'Internal server error',
  payment_provider_error: 'Payment provider error',
  provider_unavailable: 'No provider available',
  unavailable: 'Service unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function toProblem(err: AppError): Problem {
  const problem: Problem = {
    type: `https://atelier.dev/problems/${err.code.replaceAll('_', '-')}`,
    title: titles[err.code] ?? err.code.replaceAll('_', ' '),
    status: err.status,
    detail: err.message,
    code: err.code,
  };
  if (err.details?.errors) problem.errors = err.details.errors;
  for (const [k, v] of Object.entries(err.details?.extensions ?? {})) if (!(k in problem)) problem[k] = v;
  return problem;
}

export function sendProblem(reply: FastifyReply, err: AppError): FastifyReply {
  for (const [k, v] of Object.entries(err.details?.headers ?? {})) reply.header(k, v);
  return reply.code(err.status).type('application/problem+json').send(toProblem(err));
}

/** Maps framework and library errors onto our codes. */
export function normalizeError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  // `throw 'text'` or `throw null` reach here too; they are never ours and must not be inspected.
  if (typeof err !== 'object' || err === null) return internalError();
  const fe = err as FastifyError & { validation?: unknown };
  if (hasZodFastifySchemaValidationErrors(fe)) {
    const where = fe.validationContext ?? 'body';
    return new AppError(
      'validation_failed',
      'The request is not valid.',
      {
        errors: fe.validation.map((v) => ({
          path: [where, ...String(v.instancePath ?? '').split('/').filter(Boolean)].join('.'),
          message: v.message ?? 'invalid',
        })),
      },
    );
  }
  // drizzle wraps the driver's error (DrizzleQueryError); the SQLSTATE is on its cause.
  const sqlState = (fe as { cause?: { code?: unknown } }).cause?.code;
  switch (typeof sqlState === 'string' ? sqlState : fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'This content type is not supported.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('validation_failed', 'The body is not valid JSON.', { errors: [{ path: 'body', message: 'invalid JSON' }] });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('bad_request', 'The Content-Length header does not match the body.');
    case 'FST_ERR_VALIDATION':
      return new AppError('validation_failed', fe.message, { errors: [{ path: fe.validationContext ?? 'body', message: fe.message }] });
    // Router refusals (frameworkErrors): no identifier is that long, and a malformed path names nothing.
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new AppError('not_found', 'No resource has an identifier that long.');
    case 'FST_ERR_BAD_URL':
      return new AppError('validation_failed', 'The request path is not valid.', { errors: [{ path: 'params', message: 'malformed path' }] });
    // Values the database refuses as data, which request schemas let through: a NUL character in
    // text or JSON (22021, 22P05), a number out of a column's range (22003), a malformed value for
    // a typed column (22P02, 22007, 22008). They are the caller's, and the statement changed nothing.
    case '22021':
    case '22P05':
      return new AppError('validation_failed', 'Text may not contain NUL characters.', { errors: [{ path: 'body', message: 'contains a NUL character' }] });
    case '22003':
    case '22P02':
    case '22007':
    case '22008':
      return new AppError('validation_failed', 'A value is out of range or malformed.', { errors: [{ path: 'body', message: 'out of range or malformed' }] });
  }
  if (isDependencyDown(err)) return unavailable();
  if (fe instanceof SyntaxError && (fe as FastifyError).statusCode === 400) {
    return new AppError('validation_failed', 'The body is not valid JSON.', { errors: [{ path: 'body', message: 'invalid JSON' }] });
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = (Object.entries(errorCodes).find(([, s]) => s === fe.statusCode)?.[0] ?? 'bad_request') as ErrorCode;
    return new AppError(code, fe.message, undefined, fe.statusCode);
  }
  return internalError();
}

const internalError = (): AppError => new AppError('internal_error', 'Something went wrong on our side.');

/**
 * The database or the storage unreachable (a restart, a failover, a network cut) is not the caller's
 * fault and not a bug, and it passes by itself: 503 with Retry-After tells a client to try again.
 */
const unavailable = (): AppError =>
  new AppError('unavailable', 'A service this request needs is unreachable for the moment; try again shortly.', { headers: { 'retry-after': '5' } });

/**
 * Installs the error and not-found handlers. It also drops Fastify's built-in text/plain parser:
 * every body this API takes is JSON, and a text/plain body must be refused as 415 like any other
 * type rather than reach a JSON schema as a string (and come back as a confusing 400). A plugin that
 * really takes text can add a parser back in its own encapsulated context.
 * `notFound` replaces the problem+json 404 (the web app serves index.html for its own paths).
 */
/** Fastify's `frameworkErrors` option: router refusals (too long a parameter, a malformed path) as problems too. */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(reply, normalizeError(err));
}

export function registerErrorHandling(
  app: FastifyInstance,
  opts: { notFound?: (request: FastifyRequest, reply: FastifyReply) => unknown } = {},
): void {
  if (app.hasContentTypeParser('text/plain')) app.removeContentTypeParser('text/plain');
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    let appErr: AppError;
    try {
      appErr = normalizeError(err);
      if (appErr.code === 'unavailable') {
        request.log.warn({ err }, 'request failed: a dependency is unreachable');
      } else if (appErr.status >= 500) {
        const serialization = typeof err === 'object' && err !== null && isResponseSerializationError(err as Error);
        request.log.error({ err, serialization }, 'request failed');
      } else {
        request.log.info({ code: appErr.code, status: appErr.status }, appErr.message);
      }
    } catch (handlerErr) {
      // Were this handler to throw, Fastify's default one would answer with the raw error message.
      appErr = internalError();
      request.log.error({ err, handlerErr }, 'request failed');
    }
    return sendProblem(reply, appErr);
  });
  app.setNotFoundHandler(opts.notFound ?? sendNotFound);
}

export function sendNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(reply, new AppError('not_found', `No route for ${request.method} ${request.url.split('?')[0]}.`));
}
