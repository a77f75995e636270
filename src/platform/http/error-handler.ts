/**
 * Renders every failure as RFC 9457 problem+json with a stable `code`. Errors that are not ours
 * become a 500 whose body says nothing about the internals; the log keeps the details.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
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
  rate_limited: 'Too many requests',
  too_many_attempts: 'Too many attempts',
  invalid_code: 'Invalid code',
  account_disabled: 'Account disabled',
  internal_error: 'Internal server error',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
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
  return problem;
}

export function sendProblem(reply: FastifyReply, err: AppError): FastifyReply {
  for (const [k, v] of Object.entries(err.details?.headers ?? {})) reply.header(k, v);
  return reply.code(err.status).type('application/problem+json').send(toProblem(err));
}

/** Maps framework and library errors onto our codes. */
export function normalizeError(err: unknown): AppError {
  if (err instanceof AppError) return err;
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
  switch (fe.code) {
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
  }
  if (fe instanceof SyntaxError && (fe as FastifyError).statusCode === 400) {
    return new AppError('validation_failed', 'The body is not valid JSON.', { errors: [{ path: 'body', message: 'invalid JSON' }] });
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = (Object.entries(errorCodes).find(([, s]) => s === fe.statusCode)?.[0] ?? 'bad_request') as ErrorCode;
    return new AppError(code, fe.message, undefined, fe.statusCode);
  }
  return new AppError('internal_error', 'Something went wrong on our side.');
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const appErr = normalizeError(err);
    if (appErr.status >= 500) {
      const serialization = isResponseSerializationError(err as Error);
      request.log.error({ err, serialization }, 'request failed');
    } else {
      request.log.info({ code: appErr.code, status: appErr.status }, appErr.message);
    }
    return sendProblem(reply, appErr);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new AppError('not_found', `No route for ${request.method} ${request.url.split('?')[0]}.`)),
  );
}
