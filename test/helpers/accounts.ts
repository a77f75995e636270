/** Shortcuts for tests that need signed-up users and one-time codes. */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import { call, codesSent, sqlAuthChange, sqlRows } from './app.ts';

let n = 0;
export const uniqueEmail = (tag = 'user') => `${tag}-${Date.now().toString(36)}-${++n}@example.com`;
export const uniquePhone = () => `+98912${String(Date.now() % 10_000).padStart(4, '0')}${String(++n % 1000).padStart(3, '0')}`;

/**
 * Registers a user and, unless `verified: false`, verifies its email (or phone) through the real
 * code routes, as a person would: the sign-up credits and API keys need a verified account
 * (decision 051). `user` is then the account as GET /me shows it after verification.
 */
export async function signUp(app: FastifyInstance, body: Record<string, unknown> = {}, opts: { verified?: boolean } = {}) {
  const payload: Record<string, unknown> = { email: uniqueEmail(), password: 'password123', ...body };
  const res = await call(app, 'POST', '/api/v1/auth/register', { body: payload });
  expect(res.statusCode, res.body).toBe(201);
  if (opts.verified !== false) {
    const id = payload.email ? { email: payload.email, purpose: 'email_verify' } : { phone: payload.phone, purpose: 'phone_verify' };
    const requested = await call(app, 'POST', '/api/v1/auth/otp/request', { body: id });
    expect(requested.statusCode, requested.body).toBe(202);
    const code = await latestCode(app, String(payload.email ?? payload.phone));
    const verified = await call(app, 'POST', '/api/v1/auth/otp/verify', { body: { ...id, code } });
    expect(verified.statusCode, verified.body).toBe(200);
    const me = await call(app, 'GET', '/api/v1/me', { token: res.data.access_token });
    expect(me.statusCode, me.body).toBe(200);
    res.data.user = me.data;
  }
  return { ...res.data, password: payload.password as string, email: payload.email as string | undefined } as {
    user: { id: string; email: string | null; phone: string | null; role: string };
    access_token: string;
    refresh_token: string;
    password: string;
    email: string | undefined;
  };
}

/** A signed-up user made an administrator (the role is read on every request, so its token is an admin's). */
export async function signUpAdmin(t: { app: FastifyInstance; database: Database }, body: Record<string, unknown> = {}) {
  const admin = await signUp(t.app, body);
  await sqlAuthChange(t, `update users set role = 'admin' where id = '${admin.user.id}'`);
  return admin;
}

/** The newest code the outbox holds for a destination. */
export async function latestCode(app: FastifyInstance, to: string): Promise<string> {
  await codesSent(app);
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
