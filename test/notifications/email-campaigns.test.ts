/**
 * Email campaigns: only opted-in, verified, active users of the audience receive a campaign, each
 * message logged once, at most EMAIL_CAMPAIGN_RATE per batch with the next batch queued; sending
 * twice (the route or a batch run again) mails no one twice; every message carries an RFC 8058
 * one-click unsubscribe link whose POST turns marketing mail off without signing in, while a forged
 * token is a 400 that changes nothing.
 * Real: app, database (PGlite or PostgreSQL via TEST_DATABASE_URL), pg-boss (the queued job is read
 * from pgboss.job; its handler is run here rather than by a polling worker), liquidjs, HMAC tokens.
 * Stand-ins: the outbox is the mail transport; a manual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { signUp, signUpAdmin } from '../helpers/accounts.ts';

let t: TestApp;
let admin: string;
let templateId: string;
beforeAll(async () => {
  t = await createTestApp({ env: { EMAIL_CAMPAIGN_RATE: '2' } });
  admin = (await signUpAdmin(t)).access_token;
  const tpl = await call(t.app, 'POST', '/api/v1/admin/email-templates', {
    token: admin,
    body: { key: 'spring_news', locale: 'en', subject: 'Spring news for {{ full_name }}', html: '<p>Hello {{ full_name }}</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>', text: 'Hello {{ full_name }}\nUnsubscribe: {{ unsubscribe_url }}' },
  });
  expect(tpl.statusCode, tpl.body).toBe(201);
  templateId = tpl.data.id;
});
afterAll(async () => t?.close());

const optIn = (token: string) => call(t.app, 'PATCH', '/api/v1/me/preferences', { token, body: { marketing_emails: true } });
const prefs = async (token: string) => (await call(t.app, 'GET', '/api/v1/me/preferences', { token })).data;
const campaignMail = (to: string) =>
  sqlRows<{ subject: string; body: string; metadata: { headers?: Record<string, string> } }>(t, `select subject, body, metadata from outbox_messages where "to" = '${to}' and subject like 'Spring news%'`);
const queuedBatches = async (id: string) =>
  Number((await sqlRows<{ n: string }>(t, `select count(*) as n from pgboss.job where name = 'notifications.campaign-batch' and data->>'campaign_id' = '${id}'`))[0]!.n);

describe('email campaigns', () => {
  it('reaches only the opted-in users of the audience, once each, at a bounded rate, with a working unsubscribe link', async () => {
    t.clock.advance(60_000);
    const from = t.clock.now().toISOString();
    const users = [await signUp(t.app, { full_name: 'Ada <b>' }), await signUp(t.app), await signUp(t.app)];
    const vendor = await signUp(t.app, { account_type: 'vendor', business_name: 'Shop' });
    const optedOut = await signUp(t.app);
    const unverified = await signUp(t.app, {}, { verified: false });
    for (const u of [...users, vendor, unverified]) expect((await optIn(u.access_token)).statusCode).toBe(200);

    const created = await call(t.app, 'POST', '/api/v1/admin/email-campaigns', { token: admin, body: { name: 'Spring', template_id: templateId, audience: { roles: ['user'], signed_up_from: from } } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.data).toMatchObject({ status: 'draft', stats: { recipients: 0, sent: 0 } });
    const id = created.data.id as string;

    const sent = await call(t.app, 'POST', `/api/v1/admin/email-campaigns/${id}/send`, { token: admin });
    expect(sent.statusCode, sent.body).toBe(202);
    expect(sent.data).toMatchObject({ status: 'sending', stats: { recipients: 3 } });
    expect((await call(t.app, 'POST', `/api/v1/admin/email-campaigns/${id}/send`, { token: admin })).statusCode).toBe(409);
    expect(await queuedBatches(id)).toBe(1);

    // Rate 2: the first batch mails two and queues the next; the second mails the last and finishes.
    const campaigns = t.modules.notifications.campaigns;
    expect(await campaigns.runBatch(id)).toBe(2);
    expect(await queuedBatches(id)).toBe(2);
    expect((await call(t.app, 'GET', `/api/v1/admin/email-campaigns/${id}`, { token: admin })).data.status).toBe('sending');
    expect(await campaigns.runBatch(id)).toBe(1);
    expect(await campaigns.runBatch(id)).toBe(0);
    // Batches delivered again, in parallel, mail nobody twice.
    expect(await Promise.all([campaigns.runBatch(id), campaigns.runBatch(id)])).toEqual([0, 0]);

    const done = await call(t.app, 'GET', `/api/v1/admin/email-campaigns/${id}`, { token: admin });
    expect(done.data).toMatchObject({ status: 'sent', stats: { recipients: 3, sent: 3, delivered: 0, unsubscribed: 0 } });
    for (const u of users) expect(await campaignMail(u.email!)).toHaveLength(1);
    for (const u of [vendor, optedOut, unverified]) expect(await campaignMail(u.email!)).toHaveLength(0);
    const logs = await call(t.app, 'GET', `/api/v1/admin/email-logs?campaign_id=${id}&limit=100`, { token: admin });
    expect(logs.data.data.map((l: any) => l.to).sort()).toEqual(users.map((u) => u.email).sort());
    expect(logs.data.data.every((l: any) => l.status === 'sent' && l.template_key === 'spring_news')).toBe(true);

    // RFC 8058 headers, and the link works without signing in.
    const [mail] = await campaignMail(users[0]!.email!);
    expect(mail!.subject).toBe('Spring news for Ada <b>');
    const headers = mail!.metadata.headers!;
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const url = new URL(headers['List-Unsubscribe']!.replace(/^<|>$/g, ''));
    expect(url.pathname).toBe('/api/v1/email/unsubscribe');
    expect(mail!.body).toContain(url.toString());
    const path = `${url.pathname}${url.search}`;
    const token = url.searchParams.get('token')!;

    const page = await call(t.app, 'GET', path);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain(users[0]!.email);
    expect((await prefs(users[0]!.access_token)).marketing_emails).toBe(true);

    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const otherLog = logs.data.data.find((l: any) => l.to === users[1]!.email).id;
    for (const bad of [forged, `${otherLog}.${token.split('.')[1]}`, 'nonsense']) {
      const res = await call(t.app, 'POST', `/api/v1/email/unsubscribe?token=${encodeURIComponent(bad)}`, { body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(res.statusCode, bad).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    for (const u of users) expect((await prefs(u.access_token)).marketing_emails).toBe(true);

    const res = await t.app.inject({ method: 'POST', url: path, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode, res.body).toBe(200);
    expect((await prefs(users[0]!.access_token)).marketing_emails).toBe(false);
    expect((await prefs(users[1]!.access_token)).marketing_emails).toBe(true);
    expect((await t.app.inject({ method: 'POST', url: path, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).statusCode).toBe(200);
    expect((await call(t.app, 'GET', `/api/v1/admin/email-campaigns/${id}`, { token: admin })).data.stats.unsubscribed).toBe(1);
  });

  it('keeps a sent campaign as it is and refuses a system message as its template', async () => {
    const system = (await call(t.app, 'GET', '/api/v1/admin/email-templates?key=gift_card&locale=en', { token: admin })).data.data[0];
    const bad = await call(t.app, 'POST', '/api/v1/admin/email-campaigns', { token: admin, body: { name: 'x', template_id: system.id } });
    expect(bad.statusCode).toBe(400);
    const draft = await call(t.app, 'POST', '/api/v1/admin/email-campaigns', { token: admin, body: { name: 'Later', template_id: templateId, audience: { has_purchased: true } } });
    const cancelled = await call(t.app, 'PATCH', `/api/v1/admin/email-campaigns/${draft.data.id}`, { token: admin, body: { status: 'cancelled' } });
    expect(cancelled.data.status).toBe('cancelled');
    expect((await call(t.app, 'POST', `/api/v1/admin/email-campaigns/${draft.data.id}/send`, { token: admin })).statusCode).toBe(409);
    expect((await call(t.app, 'DELETE', `/api/v1/admin/email-campaigns/${draft.data.id}`, { token: admin })).statusCode).toBe(409);
    expect((await call(t.app, 'DELETE', `/api/v1/admin/email-templates/${templateId}`, { token: admin })).statusCode).toBe(409);
  });

  it('is for admins only', async () => {
    const u = await signUp(t.app);
    const key = (await call(t.app, 'POST', '/api/v1/me/api-keys', { token: u.access_token, body: { name: 'k' } })).data.key;
    for (const token of [u.access_token, key]) {
      expect((await call(t.app, 'GET', '/api/v1/admin/email-campaigns', { token })).statusCode).toBe(403);
      expect((await call(t.app, 'POST', '/api/v1/admin/email-campaigns', { token, body: { name: 'x', template_id: templateId } })).statusCode).toBe(403);
    }
  });
});
