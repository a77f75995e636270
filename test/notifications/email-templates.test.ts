/**
 * Email templates and logs: the system's messages come from `email_templates` (defaults in English
 * and Persian, written at first use), rendered by Liquid with the html part escaped, per the
 * recipient's locale with English as the fallback; admins list, create, change, delete and preview
 * them, and a template that does not parse or names an unknown variable is refused with nothing
 * changed; every message sent leaves an `email_logs` row, listed newest first with filters and pages.
 * Real: app, database (PGlite or PostgreSQL via TEST_DATABASE_URL), liquidjs, the one-time code flow.
 * Stand-ins: the outbox is the mail transport; a manual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, codesSent, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { signUp, signUpAdmin, uniqueEmail } from '../helpers/accounts.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await createTestApp();
  admin = (await signUpAdmin(t)).access_token;
});
afterAll(async () => t?.close());

const templatesOf = async (query: string) => (await call(t.app, 'GET', `/api/v1/admin/email-templates?limit=100&${query}`, { token: admin })).data.data as any[];
const templateOf = async (key: string, locale: string) => (await templatesOf(`key=${key}&locale=${locale}`))[0];
const outboxOf = async (to: string) => (await codesSent(t.app), await call(t.app, 'GET', `/api/v1/dev/outbox?to=${encodeURIComponent(to)}`)).data.data as any[];

describe('system messages through templates', () => {
  it('has a default per system message in en and fa, with each message’s variables', async () => {
    const all = await templatesOf('');
    for (const key of ['email_verify', 'one_time_code', 'password_reset', 'payment_receipt', 'gift_card', 'training_ready', 'export_ready', 'low_balance']) {
      for (const locale of ['en', 'fa']) expect(all.find((x) => x.key === key && x.locale === locale), `${key}/${locale}`).toBeDefined();
    }
    expect((await templateOf('gift_card', 'en')).variables).toEqual(['app_name', 'app_url', 'code', 'credits']);
  });

  it('sends the verification code with the template, logs it as sent, and the outbox still has the code', async () => {
    const u = await signUp(t.app);
    const [mail] = await outboxOf(u.email!);
    expect(mail.subject).toMatch(/code: \d{6}$/);
    expect(mail.body).toContain(mail.code);
    const logs = await call(t.app, 'GET', `/api/v1/admin/email-logs?to=${encodeURIComponent(u.email!.toUpperCase())}`, { token: admin });
    expect(logs.statusCode, logs.body).toBe(200);
    expect(logs.data.data).toEqual([
      expect.objectContaining({ to: u.email, template_key: 'email_verify', locale: 'en', campaign_id: null, status: 'sent', provider_message_id: mail.id, error: null }),
    ]);
  });

  it("writes in the recipient's locale, and falls back to English when that locale has no template", async () => {
    const u = await signUp(t.app);
    await call(t.app, 'PATCH', '/api/v1/me/preferences', { token: u.access_token, body: { locale: 'fa' } });
    await call(t.app, 'POST', '/api/v1/auth/otp/request', { body: { email: u.email, purpose: 'password_reset' } });
    expect((await outboxOf(u.email!))[0].subject).toContain('کد');

    await call(t.app, 'PATCH', '/api/v1/me/preferences', { token: u.access_token, body: { locale: 'de-AT' } });
    await call(t.app, 'POST', '/api/v1/auth/otp/request', { body: { email: u.email, purpose: 'login' } });
    expect((await outboxOf(u.email!))[0].subject).toMatch(/^Your .* code: \d{6}$/);
  });

  it('uses an edited template for the next message', async () => {
    const tpl = await templateOf('one_time_code', 'en');
    const res = await call(t.app, 'PATCH', `/api/v1/admin/email-templates/${tpl.id}`, { token: admin, body: { subject: 'Sign in to {{ app_name }} with {{ code }}' } });
    expect(res.statusCode, res.body).toBe(200);
    const u = await signUp(t.app);
    await call(t.app, 'POST', '/api/v1/auth/otp/request', { body: { email: u.email, purpose: 'login' } });
    expect((await outboxOf(u.email!))[0].subject).toMatch(/^Sign in to .+ with \d{6}$/);
    await call(t.app, 'PATCH', `/api/v1/admin/email-templates/${tpl.id}`, { token: admin, body: { subject: tpl.subject } });
  });
});

describe('/admin/email-templates', () => {
  it('previews with the variables given, samples for the rest, escaping them in html only', async () => {
    const res = await call(t.app, 'POST', `/api/v1/admin/email-templates/${(await templateOf('training_ready', 'en')).id}/preview`, {
      token: admin,
      body: { variables: { subject_name: '<b>Ada</b> & co' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.subject).toBe('<b>Ada</b> & co is ready');
    expect(res.data.text).toContain('<b>Ada</b> & co has finished');
    expect(res.data.html).toContain('&lt;b&gt;Ada&lt;/b&gt; &amp; co has finished');
    expect(res.data.html).toContain('https://atelier.example/app');
  });

  it('refuses a preview variable the message does not have', async () => {
    const res = await call(t.app, 'POST', `/api/v1/admin/email-templates/${(await templateOf('gift_card', 'en')).id}/preview`, { token: admin, body: { variables: { password: 'x' } } });
    expect(res.statusCode).toBe(400);
    expect(res.data.code).toBe('validation_failed');
  });

  it.each([
    ['a syntax error', { html: '<p>{{ code </p>' }, 'body.html'],
    ['an unknown variable', { text: 'Your password is {{ password }}' }, 'body.text'],
    ['an unknown filter', { subject: '{{ code | shout }}' }, 'body.subject'],
    ['an include', { html: '{% include "secrets" %}' }, 'body.html'],
  ])('refuses %s at save with 400 and changes nothing', async (_name, patch, path) => {
    const tpl = await templateOf('email_verify', 'en');
    const res = await call(t.app, 'PATCH', `/api/v1/admin/email-templates/${tpl.id}`, { token: admin, body: patch });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.data.code).toBe('validation_failed');
    expect(res.data.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await templateOf('email_verify', 'en')).toEqual(tpl);
  });

  it('creates a campaign template with the campaign variables, refuses a taken key and locale, and audits', async () => {
    const body = { key: `news_${Date.now().toString(36)}`, locale: 'en', subject: 'News for {{ full_name }}', html: '<p>Hi {{ full_name }}</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>', text: 'Hi {{ full_name }}\n{{ unsubscribe_url }}' };
    const created = await call(t.app, 'POST', '/api/v1/admin/email-templates', { token: admin, body });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.data).toMatchObject({ ...body, is_active: true, variables: ['app_name', 'app_url', 'full_name', 'email', 'unsubscribe_url'] });
    const again = await call(t.app, 'POST', '/api/v1/admin/email-templates', { token: admin, body });
    expect(again.statusCode).toBe(409);
    const bad = await call(t.app, 'POST', '/api/v1/admin/email-templates', { token: admin, body: { ...body, locale: 'fa', text: '{{ code }}' } });
    expect(bad.statusCode).toBe(400);
    expect(await templatesOf(`key=${body.key}`)).toHaveLength(1);
    const audit = await sqlRows<{ action: string }>(t, `select action from audit_logs where target_id = '${created.data.id}'`);
    expect(audit.map((a) => a.action)).toEqual(['email_template.created']);
  });

  it("keeps a system message's English template (409 on delete or turning off) and deletes another locale", async () => {
    const en = await templateOf('low_balance', 'en');
    expect((await call(t.app, 'DELETE', `/api/v1/admin/email-templates/${en.id}`, { token: admin })).statusCode).toBe(409);
    expect((await call(t.app, 'PATCH', `/api/v1/admin/email-templates/${en.id}`, { token: admin, body: { is_active: false } })).statusCode).toBe(409);
    const fa = await templateOf('low_balance', 'fa');
    expect((await call(t.app, 'DELETE', `/api/v1/admin/email-templates/${fa.id}`, { token: admin })).statusCode).toBe(204);
    expect((await call(t.app, 'GET', `/api/v1/admin/email-templates/${fa.id}`, { token: admin })).statusCode).toBe(404);
  });

  it('is for admins only: a user and a user’s API key get 403', async () => {
    const u = await signUp(t.app);
    const key = (await call(t.app, 'POST', '/api/v1/me/api-keys', { token: u.access_token, body: { name: 'k' } })).data.key;
    for (const token of [u.access_token, key]) {
      expect((await call(t.app, 'GET', '/api/v1/admin/email-templates', { token })).statusCode).toBe(403);
      expect((await call(t.app, 'GET', '/api/v1/admin/email-logs', { token })).statusCode).toBe(403);
      expect((await call(t.app, 'POST', '/api/v1/admin/email-templates', { token, body: {} })).statusCode).toBe(403);
    }
  });
});

describe('GET /admin/email-logs', () => {
  it('pages newest first and filters by status', async () => {
    const to = uniqueEmail('logs');
    await signUp(t.app, { email: to });
    t.clock.advance(1000);
    await call(t.app, 'POST', '/api/v1/auth/otp/request', { body: { email: to, purpose: 'login' } });
    await codesSent(t.app);
    const first = await call(t.app, 'GET', `/api/v1/admin/email-logs?to=${to}&limit=1`, { token: admin });
    expect(first.data.data.map((l: any) => l.template_key)).toEqual(['one_time_code']);
    const second = await call(t.app, 'GET', `/api/v1/admin/email-logs?to=${to}&limit=1&cursor=${first.data.next_cursor}`, { token: admin });
    expect(second.data.data.map((l: any) => l.template_key)).toEqual(['email_verify']);
    expect(second.data.next_cursor).toBeNull();
    expect((await call(t.app, 'GET', `/api/v1/admin/email-logs?to=${to}&status=failed`, { token: admin })).data.data).toEqual([]);
    expect((await call(t.app, 'GET', '/api/v1/admin/email-logs?status=lost', { token: admin })).statusCode).toBe(400);
  });
});
