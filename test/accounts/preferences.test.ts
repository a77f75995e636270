/**
 * GET · PATCH /me/preferences: defaults for a user who never saved any (marketing mail off), partial
 * changes, the locale shared with PATCH /me, studios this installation offers, bad input refused with
 * nothing changed, parallel changes of different fields all kept, and an API key reaching only its user.
 * Real: app, database (PGlite or PostgreSQL via TEST_DATABASE_URL), the upsert and its transaction.
 * Stand-ins: a manual clock; mail goes to the outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { signUp } from '../helpers/accounts.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { ATELIER_STUDIOS: 'print-prep,headshots' } });
});
afterAll(async () => t?.close());

const get = (token: string) => call(t.app, 'GET', '/api/v1/me/preferences', { token });
const patch = (token: string, body: unknown) => call(t.app, 'PATCH', '/api/v1/me/preferences', { token, body });

describe('/me/preferences', () => {
  it('answers the defaults before anything is saved: no marketing mail, notifications on', async () => {
    const u = await signUp(t.app);
    const res = await get(u.access_token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toEqual({
      locale: null,
      marketing_emails: false,
      default_studio: null,
      notifications: { generation_completed: true, low_balance: true },
      updated_at: null,
    });
  });

  it('changes only the fields sent, and the locale is the one GET /me shows', async () => {
    const u = await signUp(t.app);
    const first = await patch(u.access_token, { marketing_emails: true, locale: 'fa', notifications: { low_balance: false } });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.data).toMatchObject({ locale: 'fa', marketing_emails: true, default_studio: null, notifications: { generation_completed: true, low_balance: false } });

    const second = await patch(u.access_token, { default_studio: 'headshots' });
    expect(second.data).toMatchObject({ locale: 'fa', marketing_emails: true, default_studio: 'headshots', notifications: { generation_completed: true, low_balance: false } });
    expect((await get(u.access_token)).data).toEqual(second.data);
    expect((await call(t.app, 'GET', '/api/v1/me', { token: u.access_token })).data.locale).toBe('fa');

    await call(t.app, 'PATCH', '/api/v1/me', { token: u.access_token, body: { locale: 'en' } });
    expect((await get(u.access_token)).data.locale).toBe('en');
  });

  it('records when marketing mail was turned off', async () => {
    const u = await signUp(t.app);
    await patch(u.access_token, { marketing_emails: true });
    const [on] = await sqlRows<{ marketing_opted_out_at: unknown }>(t, `select marketing_opted_out_at from user_preferences where user_id = '${u.user.id}'`);
    expect(on!.marketing_opted_out_at).toBeNull();
    await patch(u.access_token, { marketing_emails: false });
    const [off] = await sqlRows<{ marketing_opted_out_at: unknown }>(t, `select marketing_opted_out_at from user_preferences where user_id = '${u.user.id}'`);
    expect(off!.marketing_opted_out_at).not.toBeNull();
  });

  it.each([
    [{ default_studio: 'ad-creatives' }, 'default_studio'],
    [{ default_studio: 'nonsense' }, 'default_studio'],
    [{ marketing_emails: 'yes' }, 'marketing_emails'],
    [{ locale: 'English!' }, 'locale'],
    [{ notifications: { weekly_digest: true } }, 'notifications'],
    [{ theme: 'dark' }, ''],
  ])('refuses %j with 400 validation_failed and changes nothing', async (body, path) => {
    const u = await signUp(t.app);
    await patch(u.access_token, { marketing_emails: true, locale: 'en' });
    const before = (await get(u.access_token)).data;
    const res = await patch(u.access_token, { locale: 'fa', ...body });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.data.code).toBe('validation_failed');
    expect(JSON.stringify(res.data.errors)).toContain(path);
    expect((await get(u.access_token)).data).toEqual(before);
  });

  it('keeps every field of parallel changes to different fields', async () => {
    const u = await signUp(t.app);
    const results = await Promise.all([
      patch(u.access_token, { marketing_emails: true }),
      patch(u.access_token, { default_studio: 'print-prep' }),
      patch(u.access_token, { notifications: { generation_completed: false } }),
      patch(u.access_token, { notifications: { low_balance: false } }),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect((await get(u.access_token)).data).toMatchObject({
      marketing_emails: true,
      default_studio: 'print-prep',
      notifications: { generation_completed: false, low_balance: false },
    });
    expect(await sqlRows(t, `select 1 from user_preferences where user_id = '${u.user.id}'`)).toHaveLength(1);
  });

  it('needs a signed-in user; an API key reads and writes its own user only', async () => {
    expect((await call(t.app, 'GET', '/api/v1/me/preferences')).statusCode).toBe(401);
    expect((await call(t.app, 'PATCH', '/api/v1/me/preferences', { body: { marketing_emails: true } })).statusCode).toBe(401);
    const [a, b] = [await signUp(t.app), await signUp(t.app)];
    const key = await call(t.app, 'POST', '/api/v1/me/api-keys', { token: a.access_token, body: { name: 'prefs' } });
    expect(key.statusCode, key.body).toBe(201);
    expect((await patch(key.data.key, { marketing_emails: true })).data.marketing_emails).toBe(true);
    expect((await get(a.access_token)).data.marketing_emails).toBe(true);
    expect((await get(b.access_token)).data.marketing_emails).toBe(false);
  });
});
