import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCode } from './helpers/accounts.ts';
import { call, createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('smoke', () => {
  it('registers and reads /me', async () => {
    const reg = await call(t.app, 'POST', '/api/v1/auth/register', { body: { email: 'A@Example.com', password: 'password123' } });
    expect(reg.statusCode, reg.body).toBe(201);
    const me = await call(t.app, 'GET', '/api/v1/me', { token: reg.data.access_token });
    expect(me.statusCode, me.body).toBe(200);
    // The sign-up credits come with the verified email (decision 051).
    expect(me.data.credits).toEqual({ available: 0, held: 0 });
    await call(t.app, 'POST', '/api/v1/auth/otp/request', { body: { email: 'a@example.com', purpose: 'email_verify' } });
    const code = await latestCode(t.app, 'a@example.com');
    expect((await call(t.app, 'POST', '/api/v1/auth/otp/verify', { body: { email: 'a@example.com', purpose: 'email_verify', code } })).statusCode).toBe(200);
    const after = await call(t.app, 'GET', '/api/v1/me', { token: reg.data.access_token });
    expect(after.data.credits).toEqual({ available: 2, held: 0 });
  });
});
