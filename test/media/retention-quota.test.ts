/**
 * Plan limits of the free plans (seeded by the migrations): uploads expire after 30 days and the
 * sweeper deletes rows and files together, except what a product still shows; a vendor on Vendor Free may show 10 images in albums
 * (403 quota_exceeded after that). Paid plans: test/media/plan-limits.test.ts.
 * Real: app, database, sharp, local-disk storage, the sweeper the scheduled job runs.
 * Stand-ins: a manual clock moved past the expiry; the retention job's handler is run directly
 * rather than waiting for its cron tick (its registration with a cron is checked).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobDefinitions } from '../../src/jobs.ts';
import { countRows, signUp } from '../helpers/accounts.ts';
import { call, createTestApp, runJob, sqlRows, type TestApp } from '../helpers/app.ts';
import { makeImage, upload } from '../helpers/media.ts';

const DAY = 86_400_000;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

/** The retention job as the worker runs it: the handler the composition root built. */
const sweep = () => runJob(t, 'media.retention');

describe('retention', () => {
  it('is scheduled', () => {
    expect(jobDefinitions.find((d) => d.name === 'media.retention')?.cron).toBeTruthy();
  });

  it('keeps uploads 30 days and an avatar while it is one, and sweeps rows and files together', async () => {
    const a = await signUp(t.app);
    const up = (await upload(t.app, a.access_token, { filename: 'u.png', data: await makeImage(8, 8, 'png') })).data;
    const keep = (await upload(t.app, a.access_token, { filename: 'k.png', data: await makeImage(8, 8, 'png') }, { purpose: 'avatar' })).data;
    expect(new Date(up.expires_at).getTime() - new Date(up.created_at).getTime()).toBe(30 * DAY);
    // Looked at after a week (decision 110); it is the profile's avatar, so it will stay.
    expect(new Date(keep.expires_at).getTime() - new Date(keep.created_at).getTime()).toBe(7 * DAY);
    expect((await call(t.app, 'PATCH', '/api/v1/me', { token: a.access_token, body: { avatar_asset_id: keep.id } })).statusCode).toBe(200);
    const c = (await call(t.app, 'POST', '/api/v1/collections', { token: a.access_token, body: { name: 'C' } })).data;
    await call(t.app, 'POST', `/api/v1/collections/${c.id}/items`, { token: a.access_token, body: { asset_id: up.id } });
    await call(t.app, 'POST', `/api/v1/collections/${c.id}/items`, { token: a.access_token, body: { asset_id: keep.id } });
    const [row] = await sqlRows<{ storage_key: string; thumbnail_key: string }>(t, `select storage_key, thumbnail_key from assets where id = '${up.id}'`);

    t.clock.advance(29 * DAY);
    await sweep();
    expect(await countRows(t, `select count(*) as n from assets where id = '${up.id}'`)).toBe(1);

    t.clock.advance(2 * DAY);
    await sweep();
    expect(await countRows(t, `select count(*) as n from assets where id = '${up.id}'`)).toBe(0);
    expect(await t.storage.exists(row!.storage_key)).toBe(false);
    expect(await t.storage.exists(row!.thumbnail_key)).toBe(false);
    // A month on, the access token has expired too: sign in again.
    const token = (await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: a.email, password: a.password } })).data.access_token;
    const kept = await call(t.app, 'GET', `/api/v1/assets/${keep.id}`, { token });
    expect(kept.statusCode).toBe(200);
    expect(new Date(kept.data.expires_at).getTime()).toBeGreaterThan(t.clock.now().getTime());
    const after = (await call(t.app, 'GET', `/api/v1/collections/${c.id}`, { token })).data;
    expect(after.item_count).toBe(1);
    expect(after.cover_url).toContain(keep.id);
  });
});

describe('vendor gallery quota', () => {
  it('lets a vendor show 10 images, refuses the 11th with 403 quota_exceeded, and counts an image once', async () => {
    const v = await signUp(t.app, { account_type: 'vendor', business_name: 'Quota Shop' });
    const ids: string[] = [];
    for (let i = 0; i < 11; i++) ids.push((await upload(t.app, v.access_token, { filename: `${i}.png`, data: await makeImage(8, 8, 'png') })).data.id);
    const one = (await call(t.app, 'POST', '/api/v1/collections', { token: v.access_token, body: { name: 'One', is_public: true } })).data;
    const two = (await call(t.app, 'POST', '/api/v1/collections', { token: v.access_token, body: { name: 'Two' } })).data;
    for (const id of ids.slice(0, 10)) {
      expect((await call(t.app, 'POST', `/api/v1/collections/${one.id}/items`, { token: v.access_token, body: { asset_id: id } })).statusCode).toBe(201);
    }
    const over = await call(t.app, 'POST', `/api/v1/collections/${two.id}/items`, { token: v.access_token, body: { asset_id: ids[10] } });
    expect(over.statusCode).toBe(403);
    expect(over.data.code).toBe('quota_exceeded');
    expect((await call(t.app, 'GET', `/api/v1/collections/${two.id}`, { token: v.access_token })).data.item_count).toBe(0);
    // An image already shown does not count again.
    expect((await call(t.app, 'POST', `/api/v1/collections/${two.id}/items`, { token: v.access_token, body: { asset_id: ids[0] } })).statusCode).toBe(201);
    // Removing one frees a place.
    await call(t.app, 'DELETE', `/api/v1/collections/${one.id}/items/${ids[1]}`, { token: v.access_token });
    expect((await call(t.app, 'POST', `/api/v1/collections/${two.id}/items`, { token: v.access_token, body: { asset_id: ids[10] } })).statusCode).toBe(201);
  });

  it('holds under parallel adds into different albums', async () => {
    const v = await signUp(t.app, { account_type: 'vendor', business_name: 'Race Shop' });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await upload(t.app, v.access_token, { filename: `${i}.png`, data: await makeImage(8, 8, 'png') })).data.id);
    const albums = await Promise.all([0, 1, 2].map((i) => call(t.app, 'POST', '/api/v1/collections', { token: v.access_token, body: { name: `A${i}` } })));
    const results = await Promise.all(
      ids.map((id, i) => call(t.app, 'POST', `/api/v1/collections/${albums[i % 3]!.data.id}/items`, { token: v.access_token, body: { asset_id: id } })),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(10);
    expect(results.filter((r) => r.statusCode === 403)).toHaveLength(2);
  });

  it('does not limit ordinary users', async () => {
    const u = await signUp(t.app);
    const c = (await call(t.app, 'POST', '/api/v1/collections', { token: u.access_token, body: { name: 'Mine' } })).data;
    for (let i = 0; i < 11; i++) {
      const id = (await upload(t.app, u.access_token, { filename: `${i}.png`, data: await makeImage(8, 8, 'png') })).data.id;
      expect((await call(t.app, 'POST', `/api/v1/collections/${c.id}/items`, { token: u.access_token, body: { asset_id: id } })).statusCode).toBe(201);
    }
  });

  it('keeps a plain upload past its 30 days while a product shows it, and sweeps it at the first look after', async () => {
    const a = await signUp(t.app);
    const shown = (await upload(t.app, a.access_token, { filename: 'p.png', data: await makeImage(8, 8, 'png') })).data;
    const loose = (await upload(t.app, a.access_token, { filename: 'l.png', data: await makeImage(8, 8, 'png') })).data;
    expect(loose.kind).toBe('upload');
    const product = await call(t.app, 'POST', '/api/v1/products', { token: a.access_token, body: { name: 'Mug', image_asset_ids: [shown.id] } });
    expect(product.statusCode).toBe(201);

    t.clock.advance(30 * DAY + 1000);
    await sweep();
    // The loose upload went on time; the product's photo stays.
    const left = await sqlRows<{ id: string; expires_at: Date }>(t, `select id, expires_at from assets where owner_id = '${a.user.id}'`);
    expect(left.map((r) => r.id)).toEqual([shown.id]);
    // Looked at again a week later (ATELIER_UNUSED_UPLOAD_DAYS).
    expect(new Date(left[0]!.expires_at).getTime()).toBe(t.clock.now().getTime() + 7 * DAY);
    const token = (await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: a.email, password: a.password } })).data.access_token;
    expect((await call(t.app, 'GET', `/api/v1/products/${product.data.id}`, { token })).data.images).toHaveLength(1);

    expect((await call(t.app, 'DELETE', `/api/v1/products/${product.data.id}`, { token })).statusCode).toBe(204);
    t.clock.advance(7 * DAY + 1000);
    await sweep();
    expect(await countRows(t, `select count(*) as n from assets where owner_id = '${a.user.id}'`)).toBe(0);
  });
});
