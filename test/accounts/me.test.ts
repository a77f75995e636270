/**
 * The signed-in user's own account: profile, password change, API keys, webhook secret.
 * Real: app, database, argon2, key hashing. Stand-in: a manual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type TestApp } from '../helpers/app.ts';
import { signUp } from '../helpers/accounts.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('GET and PATCH /me', () => {
  it('returns the account with its credits and updates the profile', async () => {
    const a = await signUp(t.app, { full_name: 'Old Name' });
    const got = await call(t.app, 'GET', '/api/v1/me', { token: a.access_token });
    expect(got.data).toMatchObject({ id: a.user.id, full_name: 'Old Name', role: 'user', credits: { available: 2, held: 0 }, plan: { name: 'free', source: 'free' } });
    const patched = await call(t.app, 'PATCH', '/api/v1/me', { token: a.access_token, body: { full_name: 'New Name', bio: 'Photographer', company: 'Studio', locale: 'fa-IR' } });
    expect(patched.statusCode).toBe(200);
    expect(patched.data).toMatchObject({ full_name: 'New Name', bio: 'Photographer', company: 'Studio', locale: 'fa-IR' });
  });

  it('refuses unknown fields, bad values and role changes', async () => {
    const a = await signUp(t.app);
    for (const body of [{ role: 'admin' }, { locale: 'not a locale' }, { full_name: '' }]) {
      const res = await call(t.app, 'PATCH', '/api/v1/me', { token: a.access_token, body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.data.code).toBe('validation_failed');
    }
    expect((await call(t.app, 'GET', '/api/v1/me', { token: a.access_token })).data.role).toBe('user');
  });

  it('answers 404 for an avatar asset the user does not have', async () => {
    const a = await signUp(t.app);
    const res = await call(t.app, 'PATCH', '/api/v1/me', { token: a.access_token, body: { avatar_asset_id: '00000000-0000-4000-8000-000000000000' } });
    expect(res.statusCode).toBe(404);
    expect(res.data.code).toBe('not_found');
  });
});

describe('POST /me/password', () => {
  it('needs the current password, then signs out the other sessions and keeps this one', async () => {
    const a = await signUp(t.app);
    const other = await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: a.email, password: a.password } });
    const wrong = await call(t.app, 'POST', '/api/v1/me/password', { token: a.access_token, body: { current_password: 'nope-nope', new_password: 'new-password-1' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.data.code).toBe('invalid_credentials');
    const ok = await call(t.app, 'POST', '/api/v1/me/password', { token: a.access_token, body: { current_password: a.password, new_password: 'new-password-1' } });
    expect(ok.statusCode).toBe(204);
    expect((await call(t.app, 'GET', '/api/v1/me', { token: a.access_token })).statusCode).toBe(200);
    expect((await call(t.app, 'GET', '/api/v1/me', { token: other.data.access_token })).statusCode).toBe(401);
    expect((await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: a.email, password: 'new-password-1' } })).statusCode).toBe(200);
  });
});

describe('API keys', () => {
  it('shows a key once, authenticates with it, lists it without the secret, and revokes it', async () => {
    const a = await signUp(t.app);
    const created = await call(t.app, 'POST', '/api/v1/me/api-keys', { token: a.access_token, body: { name: 'CI' } });
    expect(created.statusCode).toBe(201);
    expect(created.data.key).toMatch(/^atl_[A-Za-z0-9]{10}_/);
    expect(created.data.key.startsWith(created.data.prefix)).toBe(true);

    const viaKey = await call(t.app, 'GET', '/api/v1/me', { token: created.data.key });
    expect(viaKey.statusCode).toBe(200);
    expect(viaKey.data.id).toBe(a.user.id);

    const list = await call(t.app, 'GET', '/api/v1/me/api-keys', { token: a.access_token });
    expect(list.data.data).toHaveLength(1);
    expect(list.data.data[0]).not.toHaveProperty('key');
    expect(JSON.stringify(list.data)).not.toContain(created.data.key);
    expect(list.data.data[0].last_used_at).not.toBeNull();

    const b = await signUp(t.app);
    expect((await call(t.app, 'DELETE', `/api/v1/me/api-keys/${created.data.id}`, { token: b.access_token })).statusCode).toBe(404);
    expect((await call(t.app, 'DELETE', `/api/v1/me/api-keys/${created.data.id}`, { token: a.access_token })).statusCode).toBe(204);
    expect((await call(t.app, 'GET', '/api/v1/me', { token: created.data.key })).statusCode).toBe(401);
  });

  it('rejects a key with a right prefix and a wrong secret', async () => {
    const a = await signUp(t.app);
    const created = await call(t.app, 'POST', '/api/v1/me/api-keys', { token: a.access_token, body: { name: 'x' } });
    const forged = `${created.data.prefix}_${'A'.repeat(43)}`;
    expect((await call(t.app, 'GET', '/api/v1/me', { token: forged })).statusCode).toBe(401);
  });
});

describe('GET /me/webhook-secret', () => {
  it('returns one stable Standard Webhooks secret per user', async () => {
    const a = await signUp(t.app);
    const [s1, s2] = await Promise.all([
      call(t.app, 'GET', '/api/v1/me/webhook-secret', { token: a.access_token }),
      call(t.app, 'GET', '/api/v1/me/webhook-secret', { token: a.access_token }),
    ]);
    expect(s1.data.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(s1.data.secret.slice(6), 'base64')).toHaveLength(24);
    expect(s2.data.secret).toBe(s1.data.secret);
    const b = await signUp(t.app);
    expect((await call(t.app, 'GET', '/api/v1/me/webhook-secret', { token: b.access_token })).data.secret).not.toBe(s1.data.secret);
  });
});
