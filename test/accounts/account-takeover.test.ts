/**
 * What an attacker who registered a victim's email first keeps after the victim recovers the account
 * (decision 051): API keys die with a password reset or change, an API key cannot mint keys or change
 * the password, keys need a verified email or phone, and the sign-up credits come with the first
 * verification, not with registration.
 * Real: buildApp() on the test database, real registrations, codes read from the outbox, the ledger.
 * Stand-ins: mail and SMS go to the outbox; the clock is a manual one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { countRows, latestCode, uniqueEmail, uniquePhone } from '../helpers/accounts.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

async function register(body: Record<string, unknown> = {}) {
  const payload = { email: uniqueEmail(), password: 'password123', ...body };
  const res = await call(t.app, 'POST', '/api/v1/auth/register', { body: payload });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.data.user.id as string, email: payload.email as string, token: res.data.access_token as string, password: payload.password as string };
}

async function verifyEmail(email: string) {
  await call(t.app, 'POST', '/api/v1/auth/otp/request', { body: { email, purpose: 'email_verify' } });
  const res = await call(t.app, 'POST', '/api/v1/auth/otp/verify', { body: { email, purpose: 'email_verify', code: await latestCode(t.app, email) } });
  expect(res.statusCode, res.body).toBe(200);
}

async function mintKey(token: string) {
  const res = await call(t.app, 'POST', '/api/v1/me/api-keys', { token, body: { name: 'k' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.key as string;
}

const meWith = (token: string) => call(t.app, 'GET', '/api/v1/me', { token });

describe('API keys and password recovery', () => {
  it('a password reset revokes every API key of the account', async () => {
    const u = await register();
    await verifyEmail(u.email);
    const [k1, k2] = [await mintKey(u.token), await mintKey(u.token)];
    expect((await meWith(k1)).statusCode).toBe(200);

    await call(t.app, 'POST', '/api/v1/auth/otp/request', { body: { email: u.email, purpose: 'password_reset' } });
    const code = await latestCode(t.app, u.email);
    const reset = await call(t.app, 'POST', '/api/v1/auth/password/reset', { body: { email: u.email, code, new_password: 'new-password-1' } });
    expect(reset.statusCode, reset.body).toBe(204);

    for (const key of [k1, k2]) expect((await meWith(key)).statusCode).toBe(401);
    expect(await countRows(t, `select count(*) as n from api_keys where user_id = '${u.id}' and revoked_at is null`)).toBe(0);
    const [audit] = await sqlRows<{ details: { api_keys_revoked: number } }>(t, `select details from audit_logs where action = 'auth.password_reset' and target_id = '${u.id}'`);
    expect(audit?.details.api_keys_revoked).toBe(2);
  });

  it('a password change revokes every API key too, and the session that changed it stays', async () => {
    const u = await register();
    await verifyEmail(u.email);
    const key = await mintKey(u.token);
    const change = await call(t.app, 'POST', '/api/v1/me/password', { token: u.token, body: { current_password: u.password, new_password: 'new-password-2' } });
    expect(change.statusCode, change.body).toBe(204);
    expect((await meWith(key)).statusCode).toBe(401);
    expect((await meWith(u.token)).statusCode).toBe(200);
  });

  it('an API key can neither mint keys nor change the password (403 api_key_not_allowed)', async () => {
    const u = await register();
    await verifyEmail(u.email);
    const key = await mintKey(u.token);
    const mint = await call(t.app, 'POST', '/api/v1/me/api-keys', { token: key, body: { name: 'persistence' } });
    expect(mint.statusCode).toBe(403);
    expect(mint.data.code).toBe('api_key_not_allowed');
    const change = await call(t.app, 'POST', '/api/v1/me/password', { token: key, body: { current_password: u.password, new_password: 'attacker-pass' } });
    expect(change.statusCode).toBe(403);
    expect(change.data.code).toBe('api_key_not_allowed');
    // Nothing changed: one key, and the old password still signs in.
    expect(await countRows(t, `select count(*) as n from api_keys where user_id = '${u.id}'`)).toBe(1);
    expect((await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: u.email, password: u.password } })).statusCode).toBe(200);
  });

  it('an account without a verified email or phone cannot mint a key (403 verification_required)', async () => {
    const u = await register();
    const res = await call(t.app, 'POST', '/api/v1/me/api-keys', { token: u.token, body: { name: 'k' } });
    expect(res.statusCode).toBe(403);
    expect(res.data.code).toBe('verification_required');
    expect(await countRows(t, `select count(*) as n from api_keys where user_id = '${u.id}'`)).toBe(0);
    await verifyEmail(u.email);
    await mintKey(u.token);
  });
});

describe('sign-up credits', () => {
  const ledgerOf = (id: string) => sqlRows<{ type: string; amount: number; idempotency_key: string }>(t, `select type, amount, idempotency_key from credit_transactions where user_id = '${id}'`);

  it('are granted at the first verification, not at registration', async () => {
    const u = await register();
    expect((await meWith(u.token)).data).toMatchObject({ credits: { available: 0, held: 0 } });
    expect(await ledgerOf(u.id)).toEqual([]);
    await verifyEmail(u.email);
    expect((await meWith(u.token)).data).toMatchObject({ email_verified: true, credits: { available: 2, held: 0 } });
    expect(await ledgerOf(u.id)).toEqual([{ type: 'signup_bonus', amount: 2, idempotency_key: `signup:${u.id}` }]);
  });

  it('are granted once, however many channels are verified and however many verifications race', async () => {
    const phone = uniquePhone();
    const u = await register({ phone });
    await call(t.app, 'POST', '/api/v1/auth/otp/request', { body: { email: u.email, purpose: 'email_verify' } });
    await call(t.app, 'POST', '/api/v1/auth/otp/request', { body: { phone, purpose: 'phone_verify' } });
    const [emailCode, phoneCode] = [await latestCode(t.app, u.email), await latestCode(t.app, phone)];
    const results = await Promise.all([
      call(t.app, 'POST', '/api/v1/auth/otp/verify', { body: { email: u.email, purpose: 'email_verify', code: emailCode } }),
      call(t.app, 'POST', '/api/v1/auth/otp/verify', { body: { phone, purpose: 'phone_verify', code: phoneCode } }),
    ]);
    for (const r of results) expect(r.statusCode, r.body).toBe(200);
    expect(await ledgerOf(u.id)).toEqual([{ type: 'signup_bonus', amount: 2, idempotency_key: `signup:${u.id}` }]);
    expect((await meWith(u.token)).data).toMatchObject({ email_verified: true, phone_verified: true, credits: { available: 2 } });
  });
});
