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
 *
 * Work that calls an outside service (a payment provider) must not hold a transaction while it
 * waits, so it cannot run inside the key's transaction: `runAcross` claims the key in a short
 * transaction of its own, runs the work (which opens its own transactions) and stores the answer
 * afterwards. A second request with the key meanwhile waits for that answer (see IN_PROGRESS_WAIT_MS).
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

/** A claimed key whose answer is not stored yet has this status code. */
const IN_PROGRESS = 0;
/**
 * How long a request waits for another one with its key to finish: longer than a checkout's
 * provider call can take (two tries of ten seconds). After that it is told to retry (409).
 */
const IN_PROGRESS_WAIT_MS = 30_000;
const IN_PROGRESS_POLL_MS = 50;
/** A claim this old with no answer belongs to a process that died mid-request: it may be taken over. */
const ABANDONED_AFTER_MS = 5 * 60_000;

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

  /**
   * Like `run`, for work that runs its own transactions and calls outside services between them.
   * A refusal (4xx) is stored like `run` stores it; on a 5xx or a crash of the work the claim is
   * removed, so the same key may be retried.
   */
  async function runAcross<T>(req: IdempotentRequest, work: () => Promise<{ status: number; body: T }>): Promise<IdempotentResult<T>> {
    if (req.key === undefined) return { ...(await work()), replayed: false };
    const key = req.key;
    const requestHash = hashBody({ route: req.route, body: req.body });
    const waitUntil = Date.now() + IN_PROGRESS_WAIT_MS;
    for (;;) {
      const now = deps.clock.now();
      const claimed = await q.claimKey(deps.db, { scope: req.scope, key, route: req.route, requestHash, statusCode: IN_PROGRESS, createdAt: now });
      if (claimed) break;
      const row = await q.findKey(deps.db, req.scope, key);
      if (!row) continue; // the other request failed and let the key go: claim it again
      if (row.requestHash !== requestHash) throw errors.idempotencyConflict();
      if (row.statusCode !== IN_PROGRESS) return replay<T>(row, requestHash);
      if (now.getTime() - row.createdAt.getTime() > ABANDONED_AFTER_MS) {
        await q.releaseKey(deps.db, req.scope, key, IN_PROGRESS, row.createdAt);
        continue;
      }
      if (Date.now() > waitUntil) throw errors.conflict('A request with this Idempotency-Key is still being processed; retry shortly.');
      await new Promise((resolve) => setTimeout(resolve, IN_PROGRESS_POLL_MS));
    }
    try {
      const result = await work();
      await q.storeResponse(deps.db, req.scope, key, result.status, result.body);
      return { ...result, replayed: false };
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        await q.storeResponse(deps.db, req.scope, key, err.status, toProblem(err));
      } else {
        await q.releaseKey(deps.db, req.scope, key, IN_PROGRESS);
      }
      throw err;
    }
  }

  return { run, runAcross };
}

export type Idempotency = ReturnType<typeof createIdempotency>;

/** Sends a result; a stored refusal goes out as problem+json again, marked as a replay. */
export function sendIdempotent<T>(reply: FastifyReply, result: IdempotentResult<T>): FastifyReply {
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  if (result.status >= 400) return reply.code(result.status).type('application/problem+json').serializer(JSON.stringify).send(result.body);
  return reply.code(result.status).send(result.body);
}
