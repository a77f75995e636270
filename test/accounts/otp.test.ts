/**
 * One-time codes: verification, sign-in by code, password reset, limits.
 * Real: app, database, HMAC'd codes. Stand-ins: the outbox instead of email/SMS delivery (tests
 * read codes from GET /dev/outbox), and a manual clock for expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, codesSent, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { countRows, latestCode, signUp, uniqueEmail, uniquePhone } from '../helpers/accounts.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const otpRequest = (body: Record<string, unknown>) => call(t.app, 'POST', '/api/v1/auth/otp/request', { body });
const otpVerify = (body: Record<string, unknown>) => call(t.app, 'POST', '/api/v1/auth/otp/verify', { body });
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('POST /auth/otp/request', () => {
  it('answers 202 the same whether or not the account exists, and sends only to real accounts', async () => {
    const a = await signUp(t.app);
    const known = await otpRequest({ email: a.email, purpose: 'password_reset' });
    const nobody = uniqueEmail('nobody');
    const unknown = await otpRequest({ email: nobody, purpose: 'password_reset' });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.data).toEqual(known.data);
    expect(await latestCode(t.app, a.email!)).toMatch(/^\d{6}$/);
    expect(await countRows(t, `select count(*) as n from outbox_messages where "to" = '${nobody}'`)).toBe(0);
  });

  it('stores codes only as a keyed hash', async () => {
    const a = await signUp(t.app, {}, { verified: false });
    await otpRequest({ email: a.email, purpose: 'email_verify' });
    const code = await latestCode(t.app, a.email!);
    const rows = await sqlRows(t, `select code_hash from otps where destination = '${a.email}'`);
    expect(JSON.stringify(rows)).not.toContain(code);
  });

  it('refuses a purpose that does not fit the channel', async () => {
    const res = await otpRequest({ email: uniqueEmail(), purpose: 'phone_verify' });
    expect(res.statusCode).toBe(400);
    expect(res.data.code).toBe('validation_failed');
  });
});

describe('POST /auth/otp/verify', () => {
  it('verifies an email', async () => {
    const a = await signUp(t.app, {}, { verified: false });
    await otpRequest({ email: a.email, purpose: 'email_verify' });
    const res = await otpVerify({ email: a.email, purpose: 'email_verify', code: await latestCode(t.app, a.email!) });
    expect(res.statusCode).toBe(200);
    expect(res.data).toEqual({ verified: true, purpose: 'email_verify' });
    expect((await call(t.app, 'GET', '/api/v1/me', { token: a.access_token })).data.email_verified).toBe(true);
  });

  it('verifies a phone by SMS and signs in with a login code', async () => {
    const phone = uniquePhone();
    const a = await signUp(t.app, { email: undefined, phone }, { verified: false });
    await otpRequest({ phone, purpose: 'phone_verify' });
    await codesSent(t.app);
    const sms = await call(t.app, 'GET', `/api/v1/dev/outbox?to=${encodeURIComponent(phone)}`);
    expect(sms.data.data[0]).toMatchObject({ channel: 'sms', to: phone });
    expect((await otpVerify({ phone, purpose: 'phone_verify', code: sms.data.data[0].code })).statusCode).toBe(200);

    await otpRequest({ phone, purpose: 'login' });
    const login = await otpVerify({ phone, purpose: 'login', code: await latestCode(t.app, phone) });
    expect(login.statusCode).toBe(200);
    expect(login.data.user).toMatchObject({ id: a.user.id, phone_verified: true });
    expect((await call(t.app, 'GET', '/api/v1/me', { token: login.data.access_token })).statusCode).toBe(200);
  });

  it('uses a code once', async () => {
    const a = await signUp(t.app);
    await otpRequest({ email: a.email, purpose: 'login' });
    const code = await latestCode(t.app, a.email!);
    expect((await otpVerify({ email: a.email, purpose: 'login', code })).statusCode).toBe(200);
    expect((await otpVerify({ email: a.email, purpose: 'login', code })).data.code).toBe('invalid_code');
  });

  it('only the newest code counts', async () => {
    const a = await signUp(t.app);
    await otpRequest({ email: a.email, purpose: 'login' });
    const first = await latestCode(t.app, a.email!);
    await otpRequest({ email: a.email, purpose: 'login' });
    const second = await latestCode(t.app, a.email!);
    if (first !== second) expect((await otpVerify({ email: a.email, purpose: 'login', code: first })).statusCode).toBe(400);
    expect((await otpVerify({ email: a.email, purpose: 'login', code: second })).statusCode).toBe(200);
  });

  it('answers 400 invalid_code to wrong tries, burns the code on the 5th with 429, and then refuses even the right code', async () => {
    const a = await signUp(t.app);
    await otpRequest({ email: a.email, purpose: 'login' });
    const code = await latestCode(t.app, a.email!);
    for (let i = 1; i <= 4; i++) {
      const res = await otpVerify({ email: a.email, purpose: 'login', code: wrong(code) });
      expect(res.statusCode).toBe(400);
      expect(res.data.code).toBe('invalid_code');
    }
    const fifth = await otpVerify({ email: a.email, purpose: 'login', code: wrong(code) });
    expect(fifth.statusCode).toBe(429);
    expect(fifth.data.code).toBe('too_many_attempts');
    expect((await otpVerify({ email: a.email, purpose: 'login', code })).statusCode).toBe(429);
  });

  it('counts wrong tries made in parallel: never more than 5 are judged', async () => {
    const a = await signUp(t.app);
    await otpRequest({ email: a.email, purpose: 'login' });
    const code = await latestCode(t.app, a.email!);
    const results = await Promise.all(Array.from({ length: 12 }, () => otpVerify({ email: a.email, purpose: 'login', code: wrong(code) })));
    expect(results.filter((r) => r.statusCode === 400)).toHaveLength(4);
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(8);
  });

  it('expires codes after 10 minutes', async () => {
    const a = await signUp(t.app);
    await otpRequest({ email: a.email, purpose: 'login' });
    const code = await latestCode(t.app, a.email!);
    t.clock.advance(10 * 60_000 + 1000);
    const res = await otpVerify({ email: a.email, purpose: 'login', code });
    expect(res.statusCode).toBe(400);
    expect(res.data.code).toBe('invalid_code');
  });

  it('answers invalid_code for an account that never got a code', async () => {
    const res = await otpVerify({ email: uniqueEmail('nobody'), purpose: 'login', code: '123456' });
    expect(res.statusCode).toBe(400);
    expect(res.data.code).toBe('invalid_code');
  });
});

describe('POST /auth/password/reset', () => {
  it('sets the new password, signs out every session, and audits it', async () => {
    const a = await signUp(t.app);
    await otpRequest({ email: a.email, purpose: 'password_reset' });
    const code = await latestCode(t.app, a.email!);
    // Checking the code first (as a two-step form would) does not spend it.
    expect((await otpVerify({ email: a.email, purpose: 'password_reset', code })).statusCode).toBe(200);
    const res = await call(t.app, 'POST', '/api/v1/auth/password/reset', { body: { email: a.email, code, new_password: 'a-brand-new-password' } });
    expect(res.statusCode).toBe(204);
    expect((await call(t.app, 'GET', '/api/v1/me', { token: a.access_token })).statusCode).toBe(401);
    expect((await call(t.app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: a.refresh_token } })).statusCode).toBe(401);
    expect((await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: a.email, password: a.password } })).statusCode).toBe(401);
    expect((await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: a.email, password: 'a-brand-new-password' } })).statusCode).toBe(200);
    expect(await countRows(t, `select count(*) as n from audit_logs where action = 'auth.password_reset' and target_id = '${a.user.id}'`)).toBe(1);
    // The code is spent.
    const again = await call(t.app, 'POST', '/api/v1/auth/password/reset', { body: { email: a.email, code, new_password: 'yet-another-password' } });
    expect(again.statusCode).toBe(400);
  });

  it('refuses a wrong code and leaves the password alone', async () => {
    const a = await signUp(t.app);
    await otpRequest({ email: a.email, purpose: 'password_reset' });
    const code = await latestCode(t.app, a.email!);
    const res = await call(t.app, 'POST', '/api/v1/auth/password/reset', { body: { email: a.email, code: wrong(code), new_password: 'a-brand-new-password' } });
    expect(res.statusCode).toBe(400);
    expect(res.data.code).toBe('invalid_code');
    expect((await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: a.email, password: a.password } })).statusCode).toBe(200);
  });
});
