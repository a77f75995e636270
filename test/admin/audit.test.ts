/**
 * The audit trail and the admin's record lists (decision 061): every admin write route of the
 * OpenAPI document is called and must leave an audit_logs row with the target before and after;
 * GET /admin/audit-logs, /admin/provider-calls and /admin/payments with their filters, keyset pages
 * followed to the end, bad queries (400), and refusal of a user and of a user's API key (403).
 * Real: app, database (PGlite or PostgreSQL via TEST_DATABASE_URL), sign-up, API keys, the auth hook,
 * every admin write route and its service, audit rows.
 * Stand-ins: a manual clock (moved a millisecond after each write, so rows sort in write order);
 * the admin is a signed-up user promoted by SQL; the failed generation to retry, provider calls and
 * payments are inserted by SQL (the lists are what is tested, not the engine or the gateways).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, signUpAdmin } from '../helpers/accounts.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { allPages } from '../helpers/pages.ts';

type Account = Awaited<ReturnType<typeof signUp>>;
let t: TestApp;
let admin: Account;
let user: Account;
let userKey: string;
beforeAll(async () => {
  t = await createTestApp();
  admin = await signUpAdmin(t);
  user = await signUp(t.app);
  const key = await call(t.app, 'POST', '/api/v1/me/api-keys', { token: user.access_token, body: { name: 'ci' } });
  expect(key.statusCode, key.body).toBe(201);
  userKey = key.data.key;
});
afterAll(async () => t?.close());

const as = (token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => call(t.app, method, `/api/v1${url}`, { token, body });

interface AuditRow {
  action: string;
  actor_id: string;
  target_type: string;
  target_id: string;
  details: { before?: Record<string, unknown> | null; after?: Record<string, unknown> | null };
}
const newestAudit = async () => (await sqlRows<AuditRow>(t, 'select action, actor_id, target_type, target_id, details from audit_logs order by created_at desc, id desc limit 1'))[0]!;

/** The admin writes the contract lists, in the OpenAPI document's path form. */
async function adminWriteRoutes(): Promise<string[]> {
  const doc = JSON.parse((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).body) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths)
    // A preview renders and changes nothing: not a write.
    .filter(([path]) => path.startsWith('/api/v1/admin/') && !path.endsWith('/preview'))
    .flatMap(([path, ops]) => Object.keys(ops).filter((m) => m !== 'get').map((m) => `${m.toUpperCase()} ${path.slice('/api/v1'.length)}`))
    .sort();
}

describe('every admin write', () => {
  it('leaves one audit row naming the admin, the target, and the target before and after', async () => {
    const today = t.clock.now().toISOString().slice(0, 10);
    const [gen] = await sqlRows<{ id: string }>(
      t,
      `insert into generations (user_id, type, studio, status, provider, credits_per_output, credits_reserved, deadline_at)
       values ('${user.user.id}', 'upscale', 'print-prep', 'failed', 'local', 1, 1, now()) returning id`,
    );
    const [paid] = await sqlRows<{ id: string }>(
      t,
      `insert into payments (user_id, purpose, provider, amount_minor, currency, credits, status, completed_at)
       values ('${user.user.id}', 'package', 'manual', 990, 'USD', 0, 'completed', now()) returning id`,
    );
    const ids: Record<string, string> = { generation: gen!.id, user: user.user.id, payment: paid!.id };
    /** Route, request, and what the audit row must show: a create has no before, a delete no after. */
    const cases: Array<{ route: string; url: () => string; body?: unknown; status: number; kind: 'create' | 'update' | 'delete'; save?: string }> = [
      { route: 'POST /admin/packages', url: () => '/admin/packages', body: { name: `Audit pack ${randomUUID()}`, credits: 3, amount_minor: 199, currency: 'EUR' }, status: 201, kind: 'create', save: 'package' },
      { route: 'PATCH /admin/packages/{id}', url: () => `/admin/packages/${ids.package}`, body: { amount_minor: 149 }, status: 200, kind: 'update' },
      { route: 'POST /admin/plans', url: () => '/admin/plans', body: { name: 'audit_plan', display_name: 'Audit', audience: 'user', amount_minor: 990, currency: 'USD', billing_period: 'month' }, status: 201, kind: 'create', save: 'plan' },
      { route: 'PATCH /admin/plans/{id}', url: () => `/admin/plans/${ids.plan}`, body: { has_watermark: true }, status: 200, kind: 'update' },
      { route: 'POST /admin/coupons', url: () => '/admin/coupons', body: { code: 'AUDIT-1', type: 'credits', value: 5 }, status: 201, kind: 'create', save: 'coupon' },
      { route: 'PATCH /admin/coupons/{id}', url: () => `/admin/coupons/${ids.coupon}`, body: { is_active: false }, status: 200, kind: 'update' },
      { route: 'POST /admin/gift-cards', url: () => '/admin/gift-cards', body: { credits: 5 }, status: 201, kind: 'create', save: 'gift' },
      { route: 'PATCH /admin/gift-cards/{id}', url: () => `/admin/gift-cards/${ids.gift}`, body: { is_active: false }, status: 200, kind: 'update' },
      { route: 'DELETE /admin/gift-cards/{id}', url: () => `/admin/gift-cards/${ids.gift}`, status: 204, kind: 'delete' },
      { route: 'POST /admin/categories', url: () => '/admin/categories', body: { name: 'Audit', slug: 'audit-trail' }, status: 201, kind: 'create', save: 'category' },
      { route: 'PATCH /admin/categories/{id}', url: () => `/admin/categories/${ids.category}`, body: { name: 'Audit 2' }, status: 200, kind: 'update' },
      { route: 'POST /admin/templates', url: () => '/admin/templates', body: { name: 'Audit template', categories: ['audit-trail'] }, status: 201, kind: 'create', save: 'template' },
      { route: 'PATCH /admin/templates/{id}', url: () => `/admin/templates/${ids.template}`, body: { is_featured: true }, status: 200, kind: 'update' },
      { route: 'POST /admin/templates/{id}/metrics', url: () => `/admin/templates/${ids.template}/metrics`, body: { ctr: 0.1, impressions: 100 }, status: 201, kind: 'create', save: 'metric' },
      { route: 'PATCH /admin/templates/{id}/metrics/{metric_id}', url: () => `/admin/templates/${ids.template}/metrics/${ids.metric}`, body: { impressions: 120, ctr: null }, status: 200, kind: 'update' },
      { route: 'DELETE /admin/templates/{id}', url: () => `/admin/templates/${ids.template}`, status: 204, kind: 'delete' },
      { route: 'DELETE /admin/categories/{id}', url: () => `/admin/categories/${ids.category}`, status: 204, kind: 'delete' },
      { route: 'POST /admin/styles', url: () => '/admin/styles', body: { key: 'audit_neon', name: 'Neon', kind: 'style', studio: 'style-studio', prompt: 'neon' }, status: 201, kind: 'create', save: 'style' },
      { route: 'PATCH /admin/styles/{id}', url: () => `/admin/styles/${ids.style}`, body: { name: 'Neon 2' }, status: 200, kind: 'update' },
      { route: 'DELETE /admin/styles/{id}', url: () => `/admin/styles/${ids.style}`, status: 204, kind: 'delete' },
      { route: 'DELETE /admin/generation-prices/{id}', url: () => `/admin/generation-prices/${ids.price}`, status: 200, kind: 'delete' },
      { route: 'POST /admin/generation-prices', url: () => '/admin/generation-prices', body: { type: 'vectorize', credits_per_output: 2 }, status: 201, kind: 'create', save: 'price' },
      { route: 'PATCH /admin/generation-prices/{id}', url: () => `/admin/generation-prices/${ids.price}`, body: { credits_per_output: 3 }, status: 200, kind: 'update' },
      { route: 'POST /admin/api-costs', url: () => '/admin/api-costs', body: { provider: 'local', operation_type: 'upscale', cost_per_operation_micros: 10, effective_date: today }, status: 201, kind: 'create', save: 'cost' },
      { route: 'PATCH /admin/api-costs/{id}', url: () => `/admin/api-costs/${ids.cost}`, body: { cost_per_operation_micros: 20 }, status: 200, kind: 'update' },
      { route: 'DELETE /admin/api-costs/{id}', url: () => `/admin/api-costs/${ids.cost}`, status: 200, kind: 'delete' },
      { route: 'POST /admin/users/{id}/credits', url: () => `/admin/users/${ids.user}/credits`, body: { amount: 7, reason: 'audit test' }, status: 200, kind: 'update' },
      { route: 'PATCH /admin/users/{id}', url: () => `/admin/users/${ids.user}`, body: { role: 'vendor' }, status: 200, kind: 'update' },
      { route: 'POST /admin/payments/{id}/refund', url: () => `/admin/payments/${ids.payment}/refund`, body: { amount_minor: 490, reason: 'audit test' }, status: 200, kind: 'update' },
      { route: 'POST /admin/generations/{id}/retry', url: () => `/admin/generations/${ids.generation}/retry`, status: 202, kind: 'update' },
      { route: 'POST /admin/email-templates', url: () => '/admin/email-templates', body: { key: 'audit_news', locale: 'en', subject: 'News', html: '<p>News</p>', text: 'News' }, status: 201, kind: 'create', save: 'emailTemplate' },
      { route: 'PATCH /admin/email-templates/{id}', url: () => `/admin/email-templates/${ids.emailTemplate}`, body: { subject: 'More news' }, status: 200, kind: 'update' },
      { route: 'POST /admin/email-campaigns', url: () => '/admin/email-campaigns', body: () => ({ name: 'Audit campaign', template_id: ids.emailTemplate }), status: 201, kind: 'create', save: 'campaign' },
      { route: 'PATCH /admin/email-campaigns/{id}', url: () => `/admin/email-campaigns/${ids.campaign}`, body: { name: 'Audit campaign 2' }, status: 200, kind: 'update' },
      { route: 'DELETE /admin/email-campaigns/{id}', url: () => `/admin/email-campaigns/${ids.campaign}`, status: 204, kind: 'delete' },
      { route: 'DELETE /admin/email-templates/{id}', url: () => `/admin/email-templates/${ids.emailTemplate}`, status: 204, kind: 'delete' },
      { route: 'POST /admin/email-templates', url: () => '/admin/email-templates', body: { key: 'audit_news_2', locale: 'en', subject: 'News', html: '<p>News</p>', text: 'News' }, status: 201, kind: 'create', save: 'emailTemplate' },
      { route: 'POST /admin/email-campaigns', url: () => '/admin/email-campaigns', body: () => ({ name: 'Audit send', template_id: ids.emailTemplate }), status: 201, kind: 'create', save: 'campaign' },
      { route: 'POST /admin/email-campaigns/{id}/send', url: () => `/admin/email-campaigns/${ids.campaign}/send`, status: 202, kind: 'update' },
    ];
    const [vectorize] = await sqlRows<{ id: string }>(t, `select id from generation_prices where type = 'vectorize'`);
    ids.price = vectorize!.id;

    for (const c of cases) {
      const [method] = c.route.split(' ') as ['POST' | 'PATCH' | 'DELETE'];
      const before = await newestAudit();
      t.clock.advance(1);
      // A body naming an earlier case's creation is built when its turn comes.
      const res = await as(admin.access_token, method, c.url(), typeof c.body === 'function' ? (c.body as () => unknown)() : c.body);
      expect(res.statusCode, `${c.route}: ${res.body}`).toBe(c.status);
      if (c.save) ids[c.save] = res.data.id;

      const row = await newestAudit();
      expect(row, c.route).not.toEqual(before);
      expect(row.actor_id, c.route).toBe(admin.user.id);
      expect(row.target_id, c.route).toBeTruthy();
      const { before: was, after: is } = row.details;
      if (c.kind === 'create') {
        expect(was ?? null, c.route).toBeNull();
        expect(is, c.route).toEqual(expect.any(Object));
      } else if (c.kind === 'delete') {
        expect(was, c.route).toEqual(expect.any(Object));
        expect(is ?? null, c.route).toBeNull();
      } else {
        expect(was, c.route).toEqual(expect.any(Object));
        expect(is, c.route).toEqual(expect.any(Object));
        expect(is, c.route).not.toEqual(was);
      }
    }
    // A new admin write route without a case here fails this test.
    expect([...new Set(cases.map((c) => c.route))].sort()).toEqual(await adminWriteRoutes());
  });

  it('records the target as stored, secrets redacted, and the request beside it', async () => {
    const res = await as(admin.access_token, 'POST', '/admin/gift-cards', { credits: 9 });
    expect(res.statusCode, res.body).toBe(201);
    const [row] = await sqlRows<AuditRow & { details: { request: unknown; after: Record<string, unknown> } }>(
      t,
      `select details from audit_logs where action = 'billing.gift_card.issue' and target_id = '${res.data.id}'`,
    );
    expect(row!.details.request).toEqual({ credits: 9, recipient_email: null, expires_at: null });
    expect(row!.details.after).toMatchObject({ id: res.data.id, credits: 9, status: 'active', code_hash: '[redacted]' });
    expect(JSON.stringify(row!.details)).not.toContain(res.data.code);
  });

  it('a refused write leaves no audit row', async () => {
    const count = async () => Number((await sqlRows<{ n: string }>(t, 'select count(*) as n from audit_logs'))[0]!.n);
    const n = await count();
    expect((await as(admin.access_token, 'PATCH', `/admin/packages/${randomUUID()}`, { amount_minor: 1 })).statusCode).toBe(404);
    expect((await as(admin.access_token, 'POST', '/admin/styles', { key: 'sketch', name: 'Dup', kind: 'style', studio: 'style-studio' })).statusCode).toBe(409);
    expect(await count()).toBe(n);
  });
});

describe('GET /admin/audit-logs', () => {
  it('filters by actor, action, target and time, pages newest first to the end', async () => {
    const start = t.clock.now();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await as(admin.access_token, 'POST', '/admin/categories', { name: `Log ${i}`, slug: `log-${i}-${randomUUID().slice(0, 8)}` });
      expect(res.statusCode, res.body).toBe(201);
      made.push(res.data.id);
      t.clock.advance(1000);
    }
    const all = await allPages(t.app, admin.access_token, `/admin/audit-logs?action=catalog.category.create&from=${start.toISOString()}`, 2);
    expect(all.map((r) => r.target_id)).toEqual([...made].reverse());
    expect(all[0]).toMatchObject({ actor_type: 'admin', actor_id: admin.user.id, target_type: 'category', before: null, after: expect.objectContaining({ id: made[4] }) });
    expect(all[0].details).toMatchObject({ request: expect.objectContaining({ name: 'Log 4' }) });

    const byTarget = await allPages(t.app, admin.access_token, `/admin/audit-logs?target_type=category&target_id=${made[2]}`, 5);
    expect(byTarget.map((r) => r.target_id)).toEqual([made[2]]);
    // `to` is exclusive for a date-time: the window [start + 1s, start + 3s) holds the second and third.
    const from = new Date(start.getTime() + 1000).toISOString();
    const to = new Date(start.getTime() + 3000).toISOString();
    expect((await allPages(t.app, admin.access_token, `/admin/audit-logs?action=catalog.category.create&from=${from}&to=${to}`, 1)).map((r) => r.target_id)).toEqual([made[2], made[1]]);

    const mine = await allPages(t.app, admin.access_token, `/admin/audit-logs?actor_id=${admin.user.id}`, 50);
    expect(mine.length).toBeGreaterThanOrEqual(5);
    expect(mine.every((r) => r.actor_id === admin.user.id)).toBe(true);
    const keys = mine.map((r) => `${r.created_at}|${r.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(new Set(mine.map((r) => r.id)).size).toBe(mine.length);
    // A date names a whole UTC day.
    const day = start.toISOString().slice(0, 10);
    expect((await allPages(t.app, admin.access_token, `/admin/audit-logs?action=catalog.category.create&from=${day}&to=${day}`, 100)).length).toBeGreaterThanOrEqual(5);
  });

  it('refuses bad filters (400) and anyone but an admin (403, 401)', async () => {
    for (const q of ['actor_id=nope', 'from=yesterday', 'to=2026-13-01', 'from=2026-02-01&to=2026-01-01', 'limit=0', 'limit=101', 'cursor=xyz', 'from=0000-01-01']) {
      const res = await as(admin.access_token, 'GET', `/admin/audit-logs?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type'], q).toContain('application/problem+json');
    }
    for (const url of ['/admin/audit-logs', '/admin/provider-calls', '/admin/payments']) {
      for (const token of [user.access_token, userKey]) {
        const res = await as(token, 'GET', url);
        expect(res.statusCode, url).toBe(403);
        expect(res.data.code).toBe('forbidden');
      }
      expect((await call(t.app, 'GET', `/api/v1${url}`)).statusCode).toBe(401);
    }
  });
});

describe('GET /admin/provider-calls', () => {
  it('filters by provider, status, generation, user and time; pages to the end', async () => {
    const u = await signUp(t.app);
    const [g] = await sqlRows<{ id: string }>(
      t,
      `insert into generations (user_id, type, studio, status, provider, credits_per_output, credits_reserved, deadline_at)
       values ('${u.user.id}', 'upscale', 'print-prep', 'completed', 'fal', 1, 1, now()) returning id`,
    );
    const base = t.clock.now().getTime();
    const values = Array.from({ length: 12 }, (_, i) => {
      const provider = ['fal', 'openai', 'replicate'][i % 3];
      const status = i % 4 === 0 ? 'error' : 'ok';
      return `('${i < 6 ? g!.id : ''}'::text, '${u.user.id}'::uuid, '${provider}', 'predict', '${status}', ${100 + i}, ${i * 1000}, '${new Date(base + i * 60_000).toISOString()}'::timestamptz)`;
    });
    await sqlRows(
      t,
      `insert into provider_calls (generation_id, user_id, provider, operation, status, latency_ms, cost_micros, created_at)
       select nullif(v.g, '')::uuid, v.u, v.p, v.o, v.s, v.l, v.c, v.t from (values ${values.join(',')}) v(g, u, p, o, s, l, c, t)`,
    );
    const mine = await allPages(t.app, admin.access_token, `/admin/provider-calls?user_id=${u.user.id}`, 5);
    expect(mine).toHaveLength(12);
    expect(mine.map((c) => c.latency_ms)).toEqual(Array.from({ length: 12 }, (_, i) => 111 - i));
    expect(mine[0]).toMatchObject({ provider: 'replicate', status: 'ok', cost_usd: 0.011, generation_id: null, user_id: u.user.id });
    const latencies = async (q: string) => (await allPages(t.app, admin.access_token, `/admin/provider-calls?user_id=${u.user.id}&${q}`, 1)).map((c) => c.latency_ms);
    expect(await latencies('provider=fal')).toEqual([109, 106, 103, 100]);
    expect(await latencies('status=error')).toEqual([108, 104, 100]);
    expect(await latencies('provider=fal&status=error')).toEqual([100]);
    expect((await allPages(t.app, admin.access_token, `/admin/provider-calls?generation_id=${g!.id}`, 4)).length).toBe(6);
    const from = new Date(base + 2 * 60_000).toISOString();
    const to = new Date(base + 5 * 60_000).toISOString();
    expect((await allPages(t.app, admin.access_token, `/admin/provider-calls?user_id=${u.user.id}&from=${from}&to=${to}`, 2)).map((c) => c.latency_ms)).toEqual([104, 103, 102]);
    for (const q of ['status=maybe', 'generation_id=1', 'provider=']) expect((await as(admin.access_token, 'GET', `/admin/provider-calls?${q}`)).statusCode, q).toBe(400);
  });
});

describe('GET /admin/payments', () => {
  it('filters by status, provider and user; pages to the end', async () => {
    const [a, b] = await Promise.all([signUp(t.app), signUp(t.app)]);
    const base = t.clock.now().getTime();
    const rows = Array.from({ length: 10 }, (_, i) => ({
      user: i % 2 ? a.user.id : b.user.id,
      provider: ['stripe', 'zarinpal', 'manual'][i % 3]!,
      status: ['completed', 'pending', 'refunded', 'failed'][i % 4]!,
      amount: 100 * (i + 1),
    }));
    await sqlRows(
      t,
      `insert into payments (user_id, purpose, provider, amount_minor, currency, credits, status, created_at)
       values ${rows.map((r, i) => `('${r.user}', 'package', '${r.provider}', ${r.amount}, 'USD', 1, '${r.status}', '${new Date(base + i * 1000).toISOString()}')`).join(',')}`,
    );
    const ofA = await allPages(t.app, admin.access_token, `/admin/payments?user_id=${a.user.id}`, 2);
    expect(ofA.map((p) => p.amount_minor)).toEqual(rows.map((r, i) => ({ ...r, i })).filter((r) => r.user === a.user.id).map((r) => r.amount).reverse());
    const both = `user_id=${a.user.id}`;
    for (const [q, keep] of [
      ['status=refunded', (r: (typeof rows)[number]) => r.status === 'refunded'],
      ['provider=zarinpal', (r: (typeof rows)[number]) => r.provider === 'zarinpal'],
      ['status=completed&provider=stripe', (r: (typeof rows)[number]) => r.status === 'completed' && r.provider === 'stripe'],
    ] as const) {
      const got = await allPages(t.app, admin.access_token, `/admin/payments?${both}&${q}`, 1);
      expect(got.map((p) => p.amount_minor), q).toEqual(rows.filter((r) => r.user === a.user.id && keep(r)).map((r) => r.amount).reverse());
    }
    expect(ofA[0]).toMatchObject({ user_id: a.user.id, purpose: 'package', currency: 'USD', credits: 1, completed_at: null });
    for (const q of ['status=paid', 'provider=paypal', 'user_id=me']) expect((await as(admin.access_token, 'GET', `/admin/payments?${q}`)).statusCode, q).toBe(400);
  });
});
