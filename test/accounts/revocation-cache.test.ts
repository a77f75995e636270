/**
 * The principal cache never outlives a revocation (decision 070): every path that ends a
 * credential stops it on this process at the very next request, although the credential was just
 * served from the cache; a change made by another process (raw SQL here) is heard within a second;
 * a lost listener connection bypasses the cache and comes back. On PGlite and on PostgreSQL.
 * Real: app, database, triggers, LISTEN/NOTIFY, argon2, JWTs. Stand-in: a manual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { latestCode, signUp, signUpAdmin } from '../helpers/accounts.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const me = (token: string) => call(t.app, 'GET', '/api/v1/me', { token });
const cached = (credential: string) => {
  const kind = credential.startsWith('atl_') ? 'k' : 't';
  return t.modules.accounts.ctx.principals.get(`${kind}:${credential}`, t.clock.now().getTime()) !== undefined;
};

const sessionOf = (accessToken: string): string => JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).sid;

/** Signs a credential in twice: the second answer comes from the cache, which the test checks. */
async function warm(credential: string): Promise<void> {
  expect((await me(credential)).statusCode).toBe(200);
  expect((await me(credential)).statusCode).toBe(200);
  expect(cached(credential)).toBe(true);
}

async function verifiedUserWithKey() {
  const a = await signUp(t.app);
  const created = await call(t.app, 'POST', '/api/v1/me/api-keys', { token: a.access_token, body: { name: 'k' } });
  expect(created.statusCode, created.body).toBe(201);
  return { ...a, key: created.data.key as string, keyId: created.data.id as string };
}

const login = async (email: string, password: string) => {
  const res = await call(t.app, 'POST', '/api/v1/auth/login', { body: { email, password } });
  expect(res.statusCode).toBe(200);
  return res.data as { access_token: string; refresh_token: string };
};

/** The request's status, asked again for up to a second until it is `status`. */
async function statusWithin1s(credential: string, status: number): Promise<number> {
  const until = Date.now() + 1_000;
  let last = (await me(credential)).statusCode;
  while (last !== status && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
    last = (await me(credential)).statusCode;
  }
  return last;
}

describe('a revocation on this process stops a cached credential at the next request', () => {
  it('DELETE /me/sessions/{id}', async () => {
    const a = await signUp(t.app);
    const other = await login(a.email!, a.password);
    await warm(a.access_token);
    const sessions = await call(t.app, 'GET', '/api/v1/me/sessions', { token: other.access_token });
    const target = sessions.data.data.find((s: { current: boolean }) => !s.current);
    expect((await call(t.app, 'DELETE', `/api/v1/me/sessions/${target.id}`, { token: other.access_token })).statusCode).toBe(204);
    expect((await me(a.access_token)).statusCode).toBe(401);
    expect((await me(other.access_token)).statusCode).toBe(200);
  });

  it('POST /auth/logout, by access token and by refresh token', async () => {
    const a = await signUp(t.app);
    await warm(a.access_token);
    expect((await call(t.app, 'POST', '/api/v1/auth/logout', { token: a.access_token, body: {} })).statusCode).toBe(204);
    expect((await me(a.access_token)).statusCode).toBe(401);

    const b = await login(a.email!, a.password);
    await warm(b.access_token);
    expect((await call(t.app, 'POST', '/api/v1/auth/logout', { body: { refresh_token: b.refresh_token } })).statusCode).toBe(204);
    expect((await me(b.access_token)).statusCode).toBe(401);
  });

  it('a refresh token presented again after its grace revokes the session', async () => {
    const a = await signUp(t.app);
    const rotated = await call(t.app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: a.refresh_token } });
    expect(rotated.statusCode).toBe(200);
    await warm(rotated.data.access_token);
    t.clock.advance(31_000);
    expect((await call(t.app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: a.refresh_token } })).statusCode).toBe(401);
    expect((await me(rotated.data.access_token)).statusCode).toBe(401);
  });

  it('POST /me/password ends the other sessions and every API key, not the current session', async () => {
    const a = await verifiedUserWithKey();
    const other = await login(a.email!, a.password);
    await warm(a.access_token);
    await warm(a.key);
    await warm(other.access_token);
    const changed = await call(t.app, 'POST', '/api/v1/me/password', { token: other.access_token, body: { current_password: a.password, new_password: 'another-password-1' } });
    expect(changed.statusCode).toBe(204);
    expect((await me(a.access_token)).statusCode).toBe(401);
    expect((await me(a.key)).statusCode).toBe(401);
    expect((await me(other.access_token)).statusCode).toBe(200);
  });

  it('POST /auth/password/reset ends every session and key', async () => {
    const a = await verifiedUserWithKey();
    await warm(a.access_token);
    await warm(a.key);
    expect((await call(t.app, 'POST', '/api/v1/auth/otp/request', { body: { email: a.email, purpose: 'password_reset' } })).statusCode).toBe(202);
    const code = await latestCode(t.app, a.email!);
    const reset = await call(t.app, 'POST', '/api/v1/auth/password/reset', { body: { email: a.email, code, new_password: 'a-brand-new-password' } });
    expect(reset.statusCode).toBe(204);
    expect((await me(a.access_token)).statusCode).toBe(401);
    expect((await me(a.key)).statusCode).toBe(401);
  });

  it('PATCH /admin/users/{id}: a demoted admin loses admin routes, a disabled user every credential', async () => {
    const boss = await signUpAdmin(t);
    const deputy = await signUpAdmin(t);
    const adminRoute = (token: string) => call(t.app, 'GET', '/api/v1/admin/users?limit=1', { token });
    expect((await adminRoute(deputy.access_token)).statusCode).toBe(200);
    expect((await adminRoute(deputy.access_token)).statusCode).toBe(200);
    expect(cached(deputy.access_token)).toBe(true);
    expect((await call(t.app, 'PATCH', `/api/v1/admin/users/${deputy.user.id}`, { token: boss.access_token, body: { role: 'user' } })).statusCode).toBe(200);
    expect((await adminRoute(deputy.access_token)).statusCode).toBe(403);

    const u = await verifiedUserWithKey();
    await warm(u.access_token);
    await warm(u.key);
    expect((await call(t.app, 'PATCH', `/api/v1/admin/users/${u.user.id}`, { token: boss.access_token, body: { is_active: false } })).statusCode).toBe(200);
    expect((await me(u.access_token)).statusCode).toBe(401);
    expect((await me(u.key)).statusCode).toBe(401);
  });

  it('DELETE /me/api-keys/{id}', async () => {
    const a = await verifiedUserWithKey();
    await warm(a.key);
    expect((await call(t.app, 'DELETE', `/api/v1/me/api-keys/${a.keyId}`, { token: a.access_token })).statusCode).toBe(204);
    expect((await me(a.key)).statusCode).toBe(401);
    expect((await me(a.access_token)).statusCode).toBe(200);
  });

  it('DELETE /me (erasure)', async () => {
    const a = await verifiedUserWithKey();
    await warm(a.access_token);
    await warm(a.key);
    expect((await call(t.app, 'DELETE', '/api/v1/me', { token: a.access_token, body: { password: a.password } })).statusCode).toBe(202);
    expect((await me(a.access_token)).statusCode).toBe(401);
    expect((await me(a.key)).statusCode).toBe(401);
  });
});

describe('changes made by another process', () => {
  it('are heard through the triggers within a second: a revoked session, a revoked key, a disabled user', async () => {
    const a = await verifiedUserWithKey();
    const other = await login(a.email!, a.password);
    await warm(a.access_token);
    await warm(a.key);
    await warm(other.access_token);
    await sqlRows(t, `update sessions set revoked_at = now(), revoked_reason = 'test' where id = '${sessionOf(a.access_token)}'`);
    expect(await statusWithin1s(a.access_token, 401)).toBe(401);
    await sqlRows(t, `update api_keys set revoked_at = now() where id = '${a.keyId}'`);
    expect(await statusWithin1s(a.key, 401)).toBe(401);
    await warm(other.access_token);
    await sqlRows(t, `update users set is_active = false where id = '${a.user.id}'`);
    expect(await statusWithin1s(other.access_token, 403)).toBe(403);
  });

  it('a change that touches none of what a credential depends on keeps it cached', async () => {
    const a = await signUp(t.app);
    await warm(a.access_token);
    await sqlRows(t, `update users set full_name = 'Someone' where id = '${a.user.id}'`);
    await t.app.authChanges.heard();
    expect(cached(a.access_token)).toBe(true);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('a lost listener connection (PostgreSQL)', () => {
  it('empties and bypasses the cache, then listens again after reconnecting', async () => {
    const a = await verifiedUserWithKey();
    await warm(a.key);
    await sqlRows(t, `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'atelier-listen-atelier_auth' and datname = current_database()`);
    const until = Date.now() + 1_000;
    while (cached(a.key) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(cached(a.key)).toBe(false);
    // Back within the first retries: the cache fills again, and hears revocations again.
    const back = Date.now() + 3_000;
    while (Date.now() < back) {
      expect((await me(a.key)).statusCode).toBe(200);
      if (cached(a.key)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(cached(a.key)).toBe(true);
    await sqlRows(t, `update api_keys set revoked_at = now() where id = '${a.keyId}'`);
    expect(await statusWithin1s(a.key, 401)).toBe(401);
  });
});
