/** Shortcuts for tests that need signed-up users and one-time codes. */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import { call, sqlRows } from './app.ts';

let n = 0;
export const uniqueEmail = (tag = 'user') => `${tag}-${Date.now().toString(36)}-${++n}@example.com`;
export const uniquePhone = () => `+98912${String(Date.now() % 10_000).padStart(4, '0')}${String(++n % 1000).padStart(3, '0')}`;

export async function signUp(app: FastifyInstance, body: Record<string, unknown> = {}) {
  const payload = { email: uniqueEmail(), password: 'password123', ...body };
  const res = await call(app, 'POST', '/api/v1/auth/register', { body: payload });
  expect(res.statusCode, res.body).toBe(201);
  return { ...res.data, password: payload.password as string, email: payload.email as string | undefined } as {
    user: { id: string; email: string | null; phone: string | null; role: string };
    access_token: string;
    refresh_token: string;
    password: string;
    email: string | undefined;
  };
}

/** The newest code the outbox holds for a destination. */
export async function latestCode(app: FastifyInstance, to: string): Promise<string> {
  const res = await call(app, 'GET', `/api/v1/dev/outbox?to=${encodeURIComponent(to)}`);
  expect(res.statusCode, res.body).toBe(200);
  const code = res.data.data[0]?.code;
  expect(code, `no code sent to ${to}`).toMatch(/^\d{6}$/);
  return code;
}

export async function countRows(t: { database: Database }, sqlText: string): Promise<number> {
  const [row] = await sqlRows<{ n: string | number }>(t, sqlText);
  return Number(row?.n);
}
