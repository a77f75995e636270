/**
 * Templates, categories, template metrics and styles: public reads with filters, admin-only writes
 * with audit rows, the seeded defaults, and a template's layout and a style's prompt reaching the
 * provider of a generation.
 * Real: app, database (PGlite or PostgreSQL) with the migration's seed rows, roles, audit rows, queue
 * and in-process workers. Stand-ins: the image provider (test/helpers/stand-in-provider.ts); the admin
 * is a signed-up user promoted by SQL.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, sqlRows } from '../helpers/app.ts';
import { signUp, signUpAdmin } from '../helpers/accounts.ts';
import { createGenerationTestApp, type GenerationTestApp } from '../helpers/generation.ts';
import { createStandInProvider } from '../helpers/stand-in-provider.ts';

let t: GenerationTestApp;
let admin: string;
let user: string;
const standIn = createStandInProvider();
beforeAll(async () => {
  t = await createGenerationTestApp({ generation: { providers: [standIn.provider] } });
  const a = await signUpAdmin(t);
  admin = a.access_token;
  user = (await signUp(t.app)).access_token;
  await t.startWorkers();
});
afterAll(async () => t?.close());

const audits = (action: string) => sqlRows<{ target_id: string }>(t, `select target_id from audit_logs where action = '${action}'`);
const get = async (url: string) => {
  const res = await call(t.app, 'GET', `/api/v1${url}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.data;
};

describe('templates and categories', () => {
  it('serves the seeded templates and categories with filters', async () => {
    const all = await get('/templates');
    expect(all.data.map((x: any) => x.name)).toEqual(expect.arrayContaining(['Bold sale square', 'Minimal story', 'Leaderboard launch']));
    expect((await get('/categories')).data.map((c: any) => c.slug)).toEqual(expect.arrayContaining(['social-feed', 'stories', 'display-banners']));
    expect((await get('/templates?category=stories')).data.map((x: any) => x.name)).toEqual(['Minimal story']);
    expect((await get('/templates?featured=true')).data.map((x: any) => x.name)).toEqual(['Bold sale square']);
    expect((await get('/templates?industry=technology&campaign_type=launch')).data.map((x: any) => x.name)).toEqual(['Leaderboard launch']);
    expect((await get('/templates?style=minimal&industry=retail')).data).toEqual([]);
    const one = all.data.find((x: any) => x.name === 'Bold sale square');
    expect(one).toMatchObject({ width: 1080, height: 1080, categories: ['social-feed'], is_featured: true });
    expect(one.layout).toMatchObject({ headline: expect.any(Object), cta: expect.any(Object), image_box: expect.any(Object) });
    expect((await call(t.app, 'GET', '/api/v1/templates?featured=maybe')).statusCode).toBe(400);
    expect((await call(t.app, 'GET', `/api/v1/templates/${crypto.randomUUID()}`)).statusCode).toBe(404);
  });

  it('lets only an admin write, audits every write, and hides inactive templates from the public', async () => {
    const body = { name: 'Spring promo', industry: 'beauty', campaign_type: 'seasonal', layout: { headline: { x: 0, y: 0, w: 1, h: 0.2 } }, categories: ['social-feed'] };
    expect((await call(t.app, 'POST', '/api/v1/admin/templates', { token: user, body })).statusCode).toBe(403);
    expect((await call(t.app, 'POST', '/api/v1/admin/templates', { body })).statusCode).toBe(401);

    const unknownCategory = await call(t.app, 'POST', '/api/v1/admin/templates', { token: admin, body: { ...body, categories: ['nope'] } });
    expect(unknownCategory.statusCode).toBe(400);
    expect(await sqlRows(t, `select 1 from templates where name = 'Spring promo'`)).toEqual([]);

    const created = await call(t.app, 'POST', '/api/v1/admin/templates', { token: admin, body });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.data.id;
    expect(created.data).toMatchObject({ name: 'Spring promo', categories: ['social-feed'], is_active: true });
    expect((await call(t.app, 'POST', '/api/v1/admin/templates', { token: admin, body })).statusCode).toBe(409);
    expect((await get('/templates?industry=beauty')).data.map((x: any) => x.id)).toEqual([id]);

    const off = await call(t.app, 'PATCH', `/api/v1/admin/templates/${id}`, { token: admin, body: { is_active: false, categories: [] } });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.data).toMatchObject({ is_active: false, categories: [] });
    expect((await get('/templates?industry=beauty')).data).toEqual([]);
    expect((await call(t.app, 'GET', `/api/v1/templates/${id}`)).statusCode).toBe(404);
    expect((await call(t.app, 'GET', '/api/v1/admin/templates?industry=beauty', { token: admin })).data.data.map((x: any) => x.id)).toEqual([id]);
    const rename = await call(t.app, 'PATCH', `/api/v1/admin/templates/${id}`, { token: admin, body: { name: 'Minimal story' } });
    expect(rename.statusCode).toBe(409);

    const metric = await call(t.app, 'POST', `/api/v1/admin/templates/${id}/metrics`, { token: admin, body: { ctr: 0.031, impressions: 12000, performance_data: { clicks: 372 } } });
    expect(metric.statusCode, metric.body).toBe(201);
    expect((await call(t.app, 'POST', `/api/v1/admin/templates/${id}/metrics`, { token: admin, body: { ctr: 2 } })).statusCode).toBe(400);
    expect((await call(t.app, 'POST', `/api/v1/admin/templates/${id}/metrics`, { token: user, body: { ctr: 0.1 } })).statusCode).toBe(403);
    // The template is inactive: the public read is 404, the console's read shows what was recorded.
    expect((await call(t.app, 'GET', `/api/v1/templates/${id}/metrics`)).statusCode).toBe(404);
    const adminRead = await call(t.app, 'GET', `/api/v1/admin/templates/${id}/metrics`, { token: admin });
    expect(adminRead.statusCode, adminRead.body).toBe(200);
    expect(adminRead.data.data).toEqual([expect.objectContaining({ template_id: id, ctr: 0.031 })]);
    expect((await call(t.app, 'GET', `/api/v1/admin/templates/${id}/metrics`, { token: user })).statusCode).toBe(403);

    // A recorded measurement corrected: the fields given change, a rate can be cleared, nothing else moves.
    const fix = (metricId: string, body: object, token = admin, templateId = id) => call(t.app, 'PATCH', `/api/v1/admin/templates/${templateId}/metrics/${metricId}`, { token, body });
    const corrected = await fix(metric.data.id, { impressions: 12500, engagement_rate: 0.02 });
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(corrected.data).toMatchObject({ id: metric.data.id, ctr: 0.031, impressions: 12500, engagement_rate: 0.02, performance_data: { clicks: 372 } });
    expect((await fix(metric.data.id, { engagement_rate: null })).data.engagement_rate).toBeNull();
    for (const body of [{}, { ctr: 2 }, { impressions: -1 }, { extra: 1 }]) expect((await fix(metric.data.id, body)).statusCode, JSON.stringify(body)).toBe(400);
    expect((await fix(metric.data.id, { ctr: 0.1 }, user)).statusCode).toBe(403);
    // Another template's id in the path, or no such measurement: 404, and nothing changed.
    const [other] = (await get('/templates')).data;
    expect((await fix(metric.data.id, { ctr: 0.5 }, admin, other.id)).statusCode).toBe(404);
    expect((await fix(randomUUID(), { ctr: 0.5 })).statusCode).toBe(404);
    expect((await call(t.app, 'GET', `/api/v1/admin/templates/${id}/metrics`, { token: admin })).data.data[0].ctr).toBe(0.031);

    expect((await call(t.app, 'PATCH', `/api/v1/admin/templates/${id}`, { token: admin, body: { is_active: true } })).statusCode).toBe(200);
    const metrics = await get(`/templates/${id}/metrics`);
    expect(metrics.data).toEqual([expect.objectContaining({ template_id: id, ctr: 0.031, impressions: 12500, engagement_rate: null, performance_data: { clicks: 372 } })]);

    expect((await call(t.app, 'DELETE', `/api/v1/admin/templates/${id}`, { token: admin })).statusCode).toBe(204);
    expect((await call(t.app, 'DELETE', `/api/v1/admin/templates/${id}`, { token: admin })).statusCode).toBe(404);
    expect(await audits('catalog.template.create')).toEqual([{ target_id: id }]);
    expect(await audits('catalog.template.update')).toHaveLength(2);
    expect(await audits('catalog.template.metrics')).toEqual([{ target_id: id }]);
    expect(await audits('catalog.template.metrics.update')).toHaveLength(2);
    expect(await audits('catalog.template.delete')).toEqual([{ target_id: id }]);
  });

  it('category CRUD: admin only, unique slug, audited', async () => {
    const body = { name: 'Email headers', slug: 'email-headers' };
    expect((await call(t.app, 'POST', '/api/v1/admin/categories', { token: user, body })).statusCode).toBe(403);
    const c = await call(t.app, 'POST', '/api/v1/admin/categories', { token: admin, body });
    expect(c.statusCode, c.body).toBe(201);
    expect((await call(t.app, 'POST', '/api/v1/admin/categories', { token: admin, body })).statusCode).toBe(409);
    expect((await call(t.app, 'POST', '/api/v1/admin/categories', { token: admin, body: { name: 'Bad', slug: 'Not A Slug' } })).statusCode).toBe(400);
    const clash = await call(t.app, 'PATCH', `/api/v1/admin/categories/${c.data.id}`, { token: admin, body: { slug: 'stories' } });
    expect(clash.statusCode).toBe(409);
    expect((await call(t.app, 'PATCH', `/api/v1/admin/categories/${c.data.id}`, { token: admin, body: { sort_order: 9 } })).data.sort_order).toBe(9);
    expect((await call(t.app, 'DELETE', `/api/v1/admin/categories/${c.data.id}`, { token: admin })).statusCode).toBe(204);
    expect(await audits('catalog.category.create')).toEqual([{ target_id: c.data.id }]);
    expect(await audits('catalog.category.update')).toEqual([{ target_id: c.data.id }]);
    expect(await audits('catalog.category.delete')).toEqual([{ target_id: c.data.id }]);
  });
});

describe('styles', () => {
  it('serves the seeded styles by studio and kind, and admins manage them', async () => {
    const looks = (await get('/styles?studio=style-studio&kind=style')).data.map((s: any) => s.key);
    expect(looks).toEqual(expect.arrayContaining(['sketch', 'watercolor', 'vintage', 'noir', 'pop_art', 'cartoon']));
    expect((await get('/styles?kind=background')).data.every((s: any) => s.studio === 'headshots')).toBe(true);
    expect((await get('/styles?kind=scene')).data.length).toBeGreaterThan(0);
    expect((await call(t.app, 'GET', '/api/v1/styles?kind=colour')).statusCode).toBe(400);

    const body = { key: 'neon', name: 'Neon', kind: 'style', studio: 'style-studio', prompt: 'glowing neon tubes' };
    expect((await call(t.app, 'POST', '/api/v1/admin/styles', { token: user, body })).statusCode).toBe(403);
    const s = await call(t.app, 'POST', '/api/v1/admin/styles', { token: admin, body });
    expect(s.statusCode, s.body).toBe(201);
    expect((await call(t.app, 'POST', '/api/v1/admin/styles', { token: admin, body })).statusCode).toBe(409);
    await call(t.app, 'PATCH', `/api/v1/admin/styles/${s.data.id}`, { token: admin, body: { is_active: false } });
    expect((await get('/styles?studio=style-studio')).data.map((x: any) => x.key)).not.toContain('neon');
    expect((await call(t.app, 'GET', '/api/v1/admin/styles?studio=style-studio', { token: admin })).data.data.map((x: any) => x.key)).toContain('neon');
    expect((await call(t.app, 'DELETE', `/api/v1/admin/styles/${s.data.id}`, { token: admin })).statusCode).toBe(204);
    expect(await audits('catalog.style.create')).toEqual([{ target_id: s.data.id }]);
    expect(await audits('catalog.style.delete')).toEqual([{ target_id: s.data.id }]);
  });
});

describe('the engine', () => {
  it('hands the provider the template layout and the style prompt', async () => {
    const u = await t.user(10);
    const tpl = (await get('/templates?featured=true')).data[0];
    const ad = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'ad_creative', template_id: tpl.id, params: { headline: 'Sale' } } });
    expect(ad.statusCode, ad.body).toBe(202);
    const src = await t.sourceAsset(u.token);
    const styled = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'style_conversion', style: 'watercolor', source_asset_ids: [src] } });
    expect(styled.statusCode, styled.body).toBe(202);
    for (const id of [ad.data.id, styled.data.id]) expect((await t.until(u.token, id, (g) => ['completed', 'failed'].includes(g.status))).status).toBe('completed');

    const adRun = standIn.runs.find((r) => r.input.generationId === ad.data.id)!;
    expect(adRun.input.context).toMatchObject({ template: { id: tpl.id, layout: tpl.layout, width: 1080 } });
    const styleRun = standIn.runs.find((r) => r.input.generationId === styled.data.id)!;
    expect(styleRun.input.context).toMatchObject({ style: { key: 'watercolor', kind: 'style', prompt: expect.stringContaining('watercolour') } });
  }, 90_000);

  it('keeps the generations of a deleted template, with template_id set to null', async () => {
    const u = await t.user(10);
    const tpl = await call(t.app, 'POST', '/api/v1/admin/templates', { token: admin, body: { name: 'Short-lived', layout: { headline: { x: 0, y: 0, w: 1, h: 0.2 } } } });
    expect(tpl.statusCode, tpl.body).toBe(201);
    const ad = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'ad_creative', template_id: tpl.data.id, params: { headline: 'Sale' } } });
    expect(ad.statusCode, ad.body).toBe(202);
    const done = await t.until(u.token, ad.data.id, (g) => ['completed', 'failed'].includes(g.status));
    expect(done).toMatchObject({ status: 'completed', template_id: tpl.data.id });
    expect((await call(t.app, 'DELETE', `/api/v1/admin/templates/${tpl.data.id}`, { token: admin })).statusCode).toBe(204);
    const after = await t.get(u.token, ad.data.id);
    expect(after).toMatchObject({ status: 'completed', template_id: null, credits_used: done.credits_used });
    expect(after.outputs).toHaveLength(done.outputs.length);
  }, 90_000);
});
