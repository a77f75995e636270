/**
 * Password sign-in, refresh-token rotation with reuse detection, logout and the session list.
 * Real: app, database, argon2, JWTs. Stand-in: a manual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, sqlAuthChange, type TestApp } from '../helpers/app.ts';
import { countRows, signUp, uniqueEmail, uniquePhone } from '../helpers/accounts.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const login = (body: Record<string, unknown>) => call(t.app, 'POST', '/api/v1/auth/login', { body });
const refresh = (refresh_token: string) => call(t.app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token } });
const me = (token: string) => call(t.app, 'GET', '/api/v1/me', { token });

describe('POST /auth/login', () => {
  it('signs in by email (any case) and by phone', async () => {
    const a = await signUp(t.app);
    const byEmail = await login({ email: a.email!.toUpperCase(), password: a.password });
    expect(byEmail.statusCode).toBe(200);
    expect(byEmail.data.user.id).toBe(a.user.id);
    expect(byEmail.data.user.last_login_at).not.toBeNull();

    const phone = uniquePhone();
    const b = await signUp(t.app, { email: undefined, phone });
    const byPhone = await login({ phone, password: 'password123' });
    expect(byPhone.statusCode).toBe(200);
    expect(byPhone.data.user.id).toBe(b.user.id);
  });

  it('answers a wrong password and an unknown account alike, and audits the failure', async () => {
    const a = await signUp(t.app);
    const wrong = await login({ email: a.email, password: 'wrong-password' });
    const unknown = await login({ email: uniqueEmail('nobody'), password: 'wrong-password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.data).toEqual(unknown.data);
    expect(wrong.data.code).toBe('invalid_credentials');
    expect(await countRows(t, `select count(*) as n from audit_logs where action = 'auth.login_failed' and target_id = '${a.user.id}'`)).toBe(1);
  });

  it('refuses a disabled account with 403 account_disabled, and its tokens stop working', async () => {
    const a = await signUp(t.app);
    await sqlAuthChange(t, `update users set is_active = false where id = '${a.user.id}'`);
    const res = await login({ email: a.email, password: a.password });
    expect(res.statusCode).toBe(403);
    expect(res.data.code).toBe('account_disabled');
    expect((await me(a.access_token)).data.code).toBe('account_disabled');
  });
});

describe('tokens', () => {
  it('rejects missing, malformed and expired access tokens with 401 problem+json', async () => {
    const a = await signUp(t.app);
    const none = await call(t.app, 'GET', '/api/v1/me');
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(none.data.code).toBe('unauthorized');
    expect((await me('not.a.jwt')).statusCode).toBe(401);
    expect((await call(t.app, 'GET', '/api/v1/me', { headers: { authorization: 'Basic abc' } })).statusCode).toBe(401);
    t.clock.advance(16 * 60_000);
    expect((await me(a.access_token)).statusCode).toBe(401);
  });
});

describe('POST /auth/refresh', () => {
  it('rotates the pair: the new one works, the old refresh token stops working', async () => {
    const a = await signUp(t.app);
    const r1 = await refresh(a.refresh_token);
    expect(r1.statusCode).toBe(200);
    expect(r1.data.refresh_token).not.toBe(a.refresh_token);
    expect((await me(r1.data.access_token)).statusCode).toBe(200);
    const r2 = await refresh(r1.data.refresh_token);
    expect(r2.statusCode).toBe(200);
  });

  it('revokes the whole session when a rotated token is presented again after the grace', async () => {
    const a = await signUp(t.app);
    const r1 = await refresh(a.refresh_token);
    // Within 30 s the replaced token is forgiven (two tabs, a lost response: decision 052).
    t.clock.advance(31_000);
    const reuse = await refresh(a.refresh_token);
    expect(reuse.statusCode).toBe(401);
    // The thief's replay killed the session for everyone holding its tokens.
    expect((await refresh(r1.data.refresh_token)).statusCode).toBe(401);
    expect((await me(r1.data.access_token)).statusCode).toBe(401);
    expect(await countRows(t, `select count(*) as n from audit_logs where action = 'auth.refresh_token_reused'`)).toBeGreaterThan(0);
  });

  it('rejects garbage and forged tokens without revoking anything', async () => {
    const a = await signUp(t.app);
    const sid = a.refresh_token.split('.')[0];
    expect((await refresh('garbage')).statusCode).toBe(401);
    expect((await refresh(`${sid}.0.forged-random-part`)).statusCode).toBe(401);
    expect((await refresh(a.refresh_token)).statusCode).toBe(200);
  });

  it('stops working once the refresh lifetime has passed', async () => {
    const a = await signUp(t.app);
    t.clock.advance(31 * 24 * 3600_000);
    expect((await refresh(a.refresh_token)).statusCode).toBe(401);
  });
});

describe('POST /auth/logout', () => {
  it('ends the session of the refresh token and answers 204 either way', async () => {
    const a = await signUp(t.app);
    const out = await call(t.app, 'POST', '/api/v1/auth/logout', { body: { refresh_token: a.refresh_token } });
    expect(out.statusCode).toBe(204);
    expect((await refresh(a.refresh_token)).statusCode).toBe(401);
    expect((await me(a.access_token)).statusCode).toBe(401);
    expect((await call(t.app, 'POST', '/api/v1/auth/logout', { body: { refresh_token: 'nonsense' } })).statusCode).toBe(204);
  });

  it('ends the caller’s own session when sent with only an access token', async () => {
    const a = await signUp(t.app);
    expect((await call(t.app, 'POST', '/api/v1/auth/logout', { token: a.access_token, body: {} })).statusCode).toBe(204);
    expect((await me(a.access_token)).statusCode).toBe(401);
  });
});

describe('GET /me/sessions, DELETE /me/sessions/{id}', () => {
  it('lists live sessions, marks the current one, revokes one, and hides other users’ sessions', async () => {
    const a = await signUp(t.app);
    const second = await login({ email: a.email, password: a.password });
    const list = await call(t.app, 'GET', '/api/v1/me/sessions', { token: a.access_token });
    expect(list.statusCode).toBe(200);
    expect(list.data.data).toHaveLength(2);
    expect(list.data.next_cursor).toBeNull();
    expect(list.data.data.filter((s: { current: boolean }) => s.current)).toHaveLength(1);

    const page = await call(t.app, 'GET', '/api/v1/me/sessions?limit=1', { token: a.access_token });
    expect(page.data.data).toHaveLength(1);
    const next = await call(t.app, 'GET', `/api/v1/me/sessions?limit=1&cursor=${page.data.next_cursor}`, { token: a.access_token });
    expect(next.data.data).toHaveLength(1);
    expect(next.data.data[0].id).not.toBe(page.data.data[0].id);

    const other = list.data.data.find((s: { current: boolean }) => !s.current);
    const b = await signUp(t.app);
    expect((await call(t.app, 'DELETE', `/api/v1/me/sessions/${other.id}`, { token: b.access_token })).statusCode).toBe(404);
    expect((await call(t.app, 'DELETE', `/api/v1/me/sessions/${other.id}`, { token: a.access_token })).statusCode).toBe(204);
    expect((await me(second.data.access_token)).statusCode).toBe(401);
    expect((await call(t.app, 'DELETE', '/api/v1/me/sessions/not-a-uuid', { token: a.access_token })).statusCode).toBe(400);
  });
});
