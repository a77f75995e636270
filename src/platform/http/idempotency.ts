/**
 * `Idempotency-Key` for money-moving POSTs. The first request with a key runs its work and its
 * response is stored in the same transaction; a replay with the same key and body gets that
 * response back (same status, same body) without running anything; the same key with another body
 * is 409 idempotency_conflict. A 4xx answer is stored too (the client sent that request; a replay
 * must not suddenly succeed), a 5xx is not (it may be retried).
 *
 * Use from a route:
 *   const result = await idempotency.run({ scope, key, route, body }, (tx) => service.doIt(tx, …));
 *   return sendIdempotent(reply, result);
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { sha256Hex } from '../crypto.ts';
import type { Db, Tx } from '../db/types.ts';
import { toProblem } from './error-handler.ts';
import { AppError, errors } from './errors.ts';
import * as q from './idempotency.queries.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/** The request header of a route that takes an `Idempotency-Key`, for the OpenAPI document (`config.requestHeaders`). */
export const ZIdempotencyHeaders = z.object({
  [IDEMPOTENCY_HEADER]: z
    .string()
    .regex(KEY_FORMAT)
    .optional()
    .describe('Makes a retry safe: the same key with the same body replays the first answer; with another body, 409 idempotency_conflict'),
});

export interface IdempotentRequest {
  /** Whose key this is: keys are private to a caller (`user:<id>`). */
  scope: string;
  key: string | undefined;
  /** Method and route pattern, e.g. `POST /api/v1/generations`. */
  route: string;
  body: unknown;
}

export interface IdempotentResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/** A stable hash of a JSON body: object keys sorted, so key order does not make a "different" body. */
export function hashBody(body: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
        : v;
  return sha256Hex(JSON.stringify(canonical(body ?? null)));
}

/** The key from a request, validated; undefined when the client sent none. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers[IDEMPOTENCY_HEADER];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !KEY_FORMAT.test(raw)) {
    throw errors.validation([{ path: 'headers.idempotency-key', message: 'must be 1–255 printable ASCII characters' }]);
  }
  return raw;
}

export function createIdempotency(deps: { db: Db; clock: Clock }) {
  function replay<T>(row: q.IdempotencyRow, requestHash: string): IdempotentResult<T> {
    if (row.requestHash !== requestHash) throw errors.idempotencyConflict();
    return { status: row.statusCode, body: row.responseBody as T, replayed: true };
  }

  async function run<T>(req: IdempotentRequest, work: (tx: Tx) => Promise<{ status: number; body: T }>): Promise<IdempotentResult<T>> {
    if (req.key === undefined) {
      const result = await deps.db.transaction(work);
      return { ...result, replayed: false };
    }
    const key = req.key;
    const requestHash = hashBody({ route: req.route, body: req.body });
    try {
      return await deps.db.transaction(async (tx) => {
        const claimed = await q.claimKey(tx, { scope: req.scope, key, route: req.route, requestHash, statusCode: 0, createdAt: deps.clock.now() });
        if (!claimed) return replay<T>((await q.findKey(tx, req.scope, key))!, requestHash);
        const result = await work(tx);
        await q.storeResponse(tx, req.scope, key, result.status, result.body);
        return { ...result, replayed: false };
      });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.code === 'idempotency_conflict') throw err;
      // The work was rolled back; remember the refusal so a replay gets the same answer.
      const problem = toProblem(err);
      const stored = await deps.db.transaction(async (tx) => {
        const claimed = await q.claimKey(tx, { scope: req.scope, key, route: req.route, requestHash, statusCode: err.status, responseBody: problem, createdAt: deps.clock.now() });
        return claimed ? undefined : q.findKey(tx, req.scope, key);
      });
      // Someone else's request with this key won the race; answer as a replay of theirs.
      if (stored) return replay<T>(stored, requestHash);
      throw err;
    }
  }

  return { run };
}

export type Idempotency = ReturnType<typeof createIdempotency>;

/** Sends a result; a stored refusal goes out as problem+json again, marked as a replay. */
export function sendIdempotent<T>(reply: FastifyReply, result: IdempotentResult<T>): FastifyReply {
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  if (result.status >= 400) return reply.code(result.status).type('application/problem+json').serializer(JSON.stringify).send(result.body);
  return reply.code(result.status).send(result.body);
}
