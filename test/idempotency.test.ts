/**
 * Idempotency-Key handling, through a small route that moves credits with the real ledger.
 * Real: the database (PGlite, or PostgreSQL with TEST_DATABASE_URL), the ledger, Fastify, parallel
 * requests. Stand-in: the route itself exists only in this test (money-moving routes arrive with
 * billing and generation, and will use the same piece).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLedger, ledgerSum } from '../src/modules/billing/index.ts';
import { registerErrorHandling } from '../src/platform/http/error-handler.ts';
import { createIdempotency, idempotencyKeyOf, sendIdempotent } from '../src/platform/http/idempotency.ts';
import { countRows } from './helpers/accounts.ts';
import { call, createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
let route: FastifyInstance;
let userId: string;
let seq = 0;

beforeAll(async () => {
  t = await createTestApp();
  const reg = await call(t.app, 'POST', '/api/v1/auth/register', { body: { email: 'idem@example.com', password: 'password123' } });
  userId = reg.data.user.id;

  const ledger = createLedger({ clock: t.clock });
  const idempotency = createIdempotency({ db: t.database.db, clock: t.clock });
  route = Fastify();
  route.setValidatorCompiler(validatorCompiler);
  route.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(route);
  route.withTypeProvider<ZodTypeProvider>().post(
    '/move',
    { schema: { body: z.object({ amount: z.number().int() }) } },
    async (request, reply) => {
      const result = await idempotency.run(
        { scope: `user:${userId}`, key: idempotencyKeyOf(request), route: 'POST /move', body: request.body },
        async (tx) => {
          const { transaction } = await ledger.apply(tx, {
            userId,
            type: request.body.amount > 0 ? 'bonus' : 'usage',
            amount: request.body.amount,
            idempotencyKey: `test-move:${++seq}`,
          });
          return { status: 201, body: { transaction_id: transaction.id, balance_after: transaction.balanceAfter } };
        },
      );
      return sendIdempotent(reply, result);
    },
  );
  await route.ready();
});
afterAll(async () => {
  await route?.close();
  await t?.close();
});

const move = (amount: number, key?: string) =>
  route.inject({ method: 'POST', url: '/move', payload: { amount }, headers: key ? { 'idempotency-key': key } : {} });

const ledgerRows = () => countRows(t, `select count(*) as n from credit_transactions where user_id = '${userId}'`);

describe('Idempotency-Key', () => {
  it('runs the work once and replays the first response', async () => {
    const before = await ledgerRows();
    const first = await move(5, 'key-replay');
    expect(first.statusCode).toBe(201);
    const second = await move(5, 'key-replay');
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await ledgerRows()).toBe(before + 1);
  });

  it('treats the same body with keys in another order as the same request', async () => {
    const a = await route.inject({ method: 'POST', url: '/move', payload: '{"amount":1}', headers: { 'idempotency-key': 'key-order', 'content-type': 'application/json' } });
    const b = await route.inject({ method: 'POST', url: '/move', payload: '{ "amount" : 1 }', headers: { 'idempotency-key': 'key-order', 'content-type': 'application/json' } });
    expect(b.json()).toEqual(a.json());
  });

  it('answers 409 idempotency_conflict for the same key with another body, changing nothing', async () => {
    await move(2, 'key-conflict');
    const before = await ledgerRows();
    const res = await move(3, 'key-conflict');
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('idempotency_conflict');
    expect(await ledgerRows()).toBe(before);
  });

  it('stores a refusal: a replay of a 402 stays a 402 even after credits arrive', async () => {
    const first = await move(-1_000_000, 'key-refused');
    expect(first.statusCode).toBe(402);
    expect(first.json().code).toBe('insufficient_credits');
    await move(2_000_000); // now there would be enough
    const replay = await move(-1_000_000, 'key-refused');
    expect(replay.statusCode).toBe(402);
    expect(replay.json()).toEqual(first.json());
    expect(replay.headers['content-type']).toContain('application/problem+json');
  });

  it('without a key, every request runs', async () => {
    const before = await ledgerRows();
    await move(1);
    await move(1);
    expect(await ledgerRows()).toBe(before + 2);
  });

  it('rejects a malformed key with 400', async () => {
    const res = await move(1, 'spaces are not allowed');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
  });

  it('runs once under 10 parallel requests with one key', async () => {
    const before = await ledgerRows();
    const results = await Promise.all(Array.from({ length: 10 }, () => move(7, 'key-parallel')));
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    const ids = new Set(results.map((r) => r.json().transaction_id));
    expect(ids.size).toBe(1);
    expect(await ledgerRows()).toBe(before + 1);
  });

  it('keeps the ledger equal to the balance', async () => {
    const me = await call(t.app, 'GET', '/api/v1/me', { token: (await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: 'idem@example.com', password: 'password123' } })).data.access_token });
    expect(await ledgerSum(t.database.db, userId)).toBe(me.data.credits.available + me.data.credits.held);
  });
});
