/**
 * What applying a preset writes: exactly the product's catalogue on a fresh installation, only
 * what is absent once someone has signed up, nothing on a second run, and an admin's edit kept.
 * Real: the database (PGlite, or PostgreSQL with TEST_DATABASE_URL) as the migrations leave it,
 * applyPreset, the admin API for the edit. Stand-ins: none.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPreset, recordedPreset } from '../../src/presets/apply.ts';
import { catalogueOf } from '../../src/presets/catalogue/index.ts';
import { presetNames } from '../../src/presets/presets.ts';
import { signUpAdmin } from '../helpers/accounts.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const clock = { now: () => new Date() };
/** Every catalogue row a preset writes, as the database holds it. */
const snapshot = async (app: TestApp) => ({
  plans: await sqlRows(app, `select name, currency, amount_minor, is_active, conversion_limit, has_watermark from plans order by name`),
  packages: await sqlRows(app, `select name, credits, amount_minor, currency, is_active from credit_packages order by name`),
  styles: await sqlRows(app, `select key, kind, prompt, is_active from styles order by key`),
  templates: await sqlRows(app, `select name, layout::text as layout, is_active from templates order by name`),
  categories: await sqlRows(app, `select slug from categories order by slug`),
  links: await sqlRows(app, `select t.name, c.slug from template_categories tc join templates t on t.id = tc.template_id join categories c on c.id = tc.category_id order by 1, 2`),
  prices: await sqlRows(app, `select type, credits_per_output from generation_prices order by type`),
});

describe('applying a preset', () => {
  it('on a fresh installation, makes the catalogue exactly the product’s (no rial plans in a dollar product)', async () => {
    t = await createTestApp();
    const applied = await applyPreset(t.database.db, clock, 'headshots');
    expect(applied.mode).toBe('set-exactly');
    const active = await sqlRows<{ name: string; currency: string }>(t, `select name, currency from plans where is_active`);
    expect(active).toEqual([{ name: 'free', currency: 'USD' }]);
    const packs = await sqlRows<{ name: string; credits: number }>(t, `select name, credits from credit_packages where is_active order by sort_order`);
    expect(packs.map((p) => [p.name, Number(p.credits)])).toEqual(catalogueOf('headshots').packages.map((p) => [p.name, p.credits]));
    const styles = await sqlRows<{ key: string }>(t, `select key from styles where is_active order by key`);
    expect(styles.map((s) => s.key)).toEqual(catalogueOf('headshots').styles.map((s) => s.key).sort());
    expect(await recordedPreset(t.database.db)).toBe('headshots');
  });

  it.each(presetNames)('%s: a second run changes nothing', async (name) => {
    t = await createTestApp();
    await applyPreset(t.database.db, clock, name);
    const first = await snapshot(t);
    await applyPreset(t.database.db, clock, name);
    expect(await snapshot(t)).toEqual(first);
  });

  it('once someone has signed up, only adds what is absent and keeps an admin’s edit', async () => {
    t = await createTestApp();
    await applyPreset(t.database.db, clock, 'ad-creatives');
    const admin = await signUpAdmin(t);
    const token = (await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: admin.email, password: admin.password } })).data.access_token;

    const pro = (await call(t.app, 'GET', '/api/v1/billing/plans')).data.data.find((p: any) => p.name === 'pro');
    const edited = await call(t.app, 'PATCH', `/api/v1/admin/plans/${pro.id}`, { token, body: { amount_minor: 2900, display_name: 'Pro (2027)' } });
    expect(edited.statusCode, edited.body).toBe(200);
    const deleted = `Gone ${randomUUID().slice(0, 6)}`;
    await sqlRows(t, `update templates set name = '${deleted}' where name = 'Summer story'`);

    const again = await applyPreset(t.database.db, clock, 'ad-creatives');
    expect(again.mode).toBe('add-absent');
    expect(again.written).toMatchObject({ plans: 0, packages: 0, templates: 1, categories: 0 });
    const [row] = await sqlRows<{ amount_minor: number; display_name: string }>(t, `select amount_minor, display_name from plans where name = 'pro'`);
    expect({ ...row, amount_minor: Number(row!.amount_minor) }).toEqual({ amount_minor: 2900, display_name: 'Pro (2027)' });
    // The template whose name the admin changed is absent under its seeded name, so it is added again.
    expect(await sqlRows(t, `select name from templates where name in ('Summer story', '${deleted}') order by name`)).toHaveLength(2);
  });

  it('`all` only adds: the migrations’ catalogue stays as it is', async () => {
    t = await createTestApp();
    const before = await sqlRows(t, `select name, currency, is_active from plans where name in ('free', 'basic', 'advanced') order by name`);
    const applied = await applyPreset(t.database.db, clock, 'all');
    expect(applied.mode).toBe('add-absent');
    expect(await sqlRows(t, `select name, currency, is_active from plans where name in ('free', 'basic', 'advanced') order by name`)).toEqual(before);
    const templates = await sqlRows(t, `select name from templates where is_active`);
    expect(templates.length).toBeGreaterThanOrEqual(14);
  });
});
