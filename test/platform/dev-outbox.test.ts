/**
 * The dev outbox and the other settings that are safe only on a developer's machine (decision 050):
 * a real mail or SMS transport beside an outbox nobody asked for stops the start, the outbox route is
 * open only in pure development (no real transport, not production) and admin-only otherwise,
 * private webhook targets need an explicit on, and every production-unsafe setting is named.
 * Real: loadConfig, buildApp() with its auth hook on the test database, real sign-ups and codes.
 * Stand-ins: the environment is a plain object per test; mail goes to the outbox table (the test
 * app's mailer) even where the configuration names SMTP, which is what decides the route's access.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, unsafeSettings } from '../../src/config.ts';
import { problemsOf } from '../helpers/config.ts';
import { signUp } from '../helpers/accounts.ts';
import { call, codesSent, createTestApp, sqlAuthChange, type TestApp } from '../helpers/app.ts';

describe('config: the dev outbox beside a real transport', () => {
  it.each([
    ['SMTP', { SMTP_URL: 'smtps://u:p@mail.example.com' }],
    ['Kavenegar', { KAVENEGAR_API_KEY: 'key' }],
    ['Twilio', { TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15550000000' }],
  ])('refuses %s with NODE_ENV unset and ATELIER_DEV_OUTBOX unset, by name', (_name, env) => {
    const problems = problemsOf(env);
    expect(problems.some((p) => p.startsWith('ATELIER_DEV_OUTBOX:')), problems.join('\n')).toBe(true);
    expect(problems.join('\n')).toContain('NODE_ENV=production');
  });

  it('starts when the operator says which: off keeps no copies, on keeps them behind admin sign-in', () => {
    const off = loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.com', ATELIER_DEV_OUTBOX: 'off' });
    expect(off.devOutbox).toEqual({ enabled: false, access: 'admin' });
    const on = loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.com', ATELIER_DEV_OUTBOX: 'on' });
    expect(on.devOutbox).toEqual({ enabled: true, access: 'admin' });
  });

  it('keeps the open outbox for pure development only', () => {
    expect(loadConfig({}).devOutbox).toEqual({ enabled: true, access: 'anyone' });
    expect(loadConfig({ NODE_ENV: 'test' }).devOutbox).toEqual({ enabled: true, access: 'anyone' });
    const prod = loadConfig({ NODE_ENV: 'production', ATELIER_SECRET: 's'.repeat(32) });
    expect(prod.devOutbox.enabled).toBe(false);
    const prodOn = loadConfig({ NODE_ENV: 'production', ATELIER_SECRET: 's'.repeat(32), ATELIER_DEV_OUTBOX: 'on' });
    expect(prodOn.devOutbox).toEqual({ enabled: true, access: 'admin' });
  });

  it('allows private webhook targets only when ATELIER_WEBHOOKS_ALLOW_PRIVATE=on is set', () => {
    expect(loadConfig({}).webhooks.allowPrivate).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).webhooks.allowPrivate).toBe(false);
    expect(loadConfig({ ATELIER_WEBHOOKS_ALLOW_PRIVATE: 'on' }).webhooks.allowPrivate).toBe(true);
  });
});

describe('unsafeSettings', () => {
  it('names every production-unsafe default of an empty environment', () => {
    const text = unsafeSettings(loadConfig({})).join('\n');
    for (const name of ['NODE_ENV', 'ATELIER_DEV_OUTBOX', 'ATELIER_SECRET', 'ATELIER_PUBLIC_URL']) expect(text).toContain(name);
  });

  it('names explicit switches that open things up', () => {
    const text = unsafeSettings(
      loadConfig({
        NODE_ENV: 'production',
        ATELIER_SECRET: 's'.repeat(32),
        ATELIER_PUBLIC_URL: 'https://atelier.example.com',
        ATELIER_WEBHOOKS_ALLOW_PRIVATE: 'on',
        ATELIER_RATE_LIMIT: 'off',
        ATELIER_PAYMENTS_MANUAL: 'on',
        ATELIER_METRICS_PUBLIC: 'on',
      }),
    ).join('\n');
    for (const name of ['ATELIER_WEBHOOKS_ALLOW_PRIVATE', 'ATELIER_RATE_LIMIT', 'ATELIER_PAYMENTS_MANUAL', 'ATELIER_METRICS_TOKEN']) expect(text).toContain(name);
    expect(text).not.toContain('NODE_ENV');
  });

  it('is empty for a production configuration', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      ATELIER_SECRET: 's'.repeat(32),
      ATELIER_PUBLIC_URL: 'https://atelier.example.com',
      SMTP_URL: 'smtps://u:p@mail.example.com',
    });
    expect(unsafeSettings(c)).toEqual([]);
  });
});

describe('GET /api/v1/dev/outbox', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  // These apps' outbox is admin-only, so the users stay unverified (signUp reads codes from it).
  async function admin(app: TestApp) {
    const a = await signUp(app.app, {}, { verified: false });
    await sqlAuthChange(app, `update users set role = 'admin' where id = '${a.user.id}'`);
    return a;
  }

  it('is admin-only when a real transport is configured, even with the outbox explicitly on', async () => {
    t = await createTestApp({ env: { SMTP_URL: 'smtps://u:p@mail.example.com', ATELIER_DEV_OUTBOX: 'on' } });
    const victim = await signUp(t.app, {}, { verified: false });
    await call(t.app, 'POST', '/api/v1/auth/otp/request', { body: { email: victim.email, purpose: 'password_reset' } });
    await codesSent(t.app);
    const url = `/api/v1/dev/outbox?to=${encodeURIComponent(victim.email!)}`;
    const anonymous = await call(t.app, 'GET', url);
    expect(anonymous.statusCode).toBe(401);
    expect(JSON.stringify(anonymous.data)).not.toMatch(/\b\d{6}\b/);
    const user = await call(t.app, 'GET', url, { token: victim.access_token });
    expect(user.statusCode).toBe(403);
    expect(user.data.code).toBe('forbidden');
    const a = await admin(t);
    const seen = await call(t.app, 'GET', url, { token: a.access_token });
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.data.data[0].code).toMatch(/^\d{6}$/);
  });

  it('is admin-only in production', async () => {
    t = await createTestApp({ env: { NODE_ENV: 'production', ATELIER_SECRET: 's'.repeat(40), ATELIER_DEV_OUTBOX: 'on' } });
    expect((await call(t.app, 'GET', '/api/v1/dev/outbox')).statusCode).toBe(401);
  });

  it('is not served at all when the outbox is off', async () => {
    t = await createTestApp({ env: { SMTP_URL: 'smtps://u:p@mail.example.com', ATELIER_DEV_OUTBOX: 'off' } });
    const a = await admin(t);
    expect((await call(t.app, 'GET', '/api/v1/dev/outbox', { token: a.access_token })).statusCode).toBe(404);
  });

  it('is open in pure development (outbox on, no real transport)', async () => {
    t = await createTestApp();
    const u = await signUp(t.app);
    const res = await call(t.app, 'GET', `/api/v1/dev/outbox?to=${encodeURIComponent(u.email!)}`);
    expect(res.statusCode, res.body).toBe(200);
  });
});
