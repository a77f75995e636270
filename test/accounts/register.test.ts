/**
 * Sign-up through the real app and database (PGlite, or PostgreSQL with TEST_DATABASE_URL).
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

const register = (body: Record<string, unknown>) => call(t.app, 'POST', '/api/v1/auth/register', { body });

describe('POST /auth/register', () => {
  it('creates an email account and signs it in; the sign-up credits come through the ledger once the email is verified', async () => {
    const email = uniqueEmail();
    const res = await register({ email: email.toUpperCase(), password: 'password123', full_name: 'Ada Lovelace' });
    expect(res.statusCode).toBe(201);
    expect(res.data).toMatchObject({
      user: { email, phone: null, full_name: 'Ada Lovelace', role: 'user', is_active: true, email_verified: false, credits: { available: 0, held: 0 }, plan: { name: 'free', source: 'free' } },
      token_type: 'Bearer',
      expires_in: 900,
    });
    expect(res.data.access_token).toEqual(expect.any(String));
    expect(res.data.refresh_token).toEqual(expect.any(String));
    expect(res.data.user).not.toHaveProperty('password_hash');

    // Nothing before verification (decision 051), the bonus at it.
    expect(await countRows(t, `select count(*) as n from credit_transactions where user_id = '${res.data.user.id}'`)).toBe(0);
    await call(t.app, 'POST', '/api/v1/auth/otp/request', { body: { email, purpose: 'email_verify' } });
    const verified = await call(t.app, 'POST', '/api/v1/auth/otp/verify', { body: { email, purpose: 'email_verify', code: await latestCode(t.app, email) } });
    expect(verified.statusCode, verified.body).toBe(200);
    const rows = await sqlRows(t, `select type, amount, balance_before, balance_after, idempotency_key from credit_transactions where user_id = '${res.data.user.id}'`);
    expect(rows).toEqual([{ type: 'signup_bonus', amount: 2, balance_before: 0, balance_after: 2, idempotency_key: `signup:${res.data.user.id}` }]);
    expect(await countRows(t, `select count(*) as n from audit_logs where action = 'auth.register' and target_id = '${res.data.user.id}'`)).toBe(1);
  });

  it('creates a phone account', async () => {
    const phone = uniquePhone();
    const res = await register({ phone, password: 'password123' });
    expect(res.statusCode).toBe(201);
    expect(res.data.user).toMatchObject({ phone, email: null, phone_verified: false });
  });

  it('creates vendor accounts with unique page slugs', async () => {
    const a = await register({ email: uniqueEmail(), password: 'password123', account_type: 'vendor', business_name: 'Café Lumière' });
    const b = await register({ email: uniqueEmail(), password: 'password123', account_type: 'vendor', business_name: 'Cafe Lumiere' });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(a.data.user.role).toBe('vendor');
    expect(a.data.user.vendor_profile).toMatchObject({ business_name: 'Café Lumière', slug: 'cafe-lumiere', is_verified: false });
    expect(b.data.user.vendor_profile.slug).toMatch(/^cafe-lumiere-[a-z0-9x]+$/);
  });

  it('answers 409 for a taken email and writes nothing', async () => {
    const email = uniqueEmail();
    await register({ email, password: 'password123' });
    const counts = async () => [
      await countRows(t, 'select count(*) as n from users'),
      await countRows(t, 'select count(*) as n from credit_transactions'),
      await countRows(t, 'select count(*) as n from sessions'),
    ];
    const before = await counts();
    const res = await register({ email: email.toUpperCase(), password: 'another-password' });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.data.code).toBe('conflict');
    expect(await counts()).toEqual(before);
  });

  it('lets exactly one of parallel sign-ups with one email through', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all(Array.from({ length: 6 }, () => register({ email, password: 'password123' })));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(5);
    expect(await countRows(t, `select count(*) as n from users where email = '${email}'`)).toBe(1);
  });

  it.each([
    [{ password: 'password123' }, 'body.email'],
    [{ email: 'not-an-email', password: 'password123' }, 'body.email'],
    [{ phone: '09121234567', password: 'password123' }, 'body.phone'],
    [{ email: 'short@example.com', password: 'short' }, 'body.password'],
    [{ email: 'v@example.com', password: 'password123', account_type: 'vendor' }, 'body.business_name'],
  ])('rejects %j with 400 naming %s', async (body, path) => {
    const res = await register(body);
    expect(res.statusCode).toBe(400);
    expect(res.data.code).toBe('validation_failed');
    expect(res.data.errors.map((e: { path: string }) => e.path)).toContain(path);
  });
});

describe('sign-up credits setting', () => {
  it('grants nothing and writes no ledger row when ATELIER_SIGNUP_CREDITS=0', async () => {
    const t0 = await createTestApp({ env: { ATELIER_SIGNUP_CREDITS: '0' } });
    try {
      const email = uniqueEmail();
      const res = await call(t0.app, 'POST', '/api/v1/auth/register', { body: { email, password: 'password123' } });
      expect(res.data.user.credits).toEqual({ available: 0, held: 0 });
      // Verification, where the bonus would be granted, grants nothing either.
      await call(t0.app, 'POST', '/api/v1/auth/otp/request', { body: { email, purpose: 'email_verify' } });
      const verified = await call(t0.app, 'POST', '/api/v1/auth/otp/verify', { body: { email, purpose: 'email_verify', code: await latestCode(t0.app, email) } });
      expect(verified.statusCode, verified.body).toBe(200);
      expect(await countRows(t0, 'select count(*) as n from credit_transactions')).toBe(0);
    } finally {
      await t0.close();
    }
  });
});
