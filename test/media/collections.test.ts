/**
 * Collections (albums): CRUD, items with counts, covers and order, owner scoping, and the public
 * vendor pages that show public albums.
 * Real: app, database, sharp, local-disk storage in a temp data dir, vendor sign-up.
 * Stand-ins: images generated here with sharp; a manual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../helpers/accounts.ts';
import { call, createTestApp, type TestApp } from '../helpers/app.ts';
import { getBytes, uploadImages } from '../helpers/media.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const uploadN = (token: string, n: number) => uploadImages(t.app, token, n);

describe('/collections', () => {
  it('creates, lists, renames and deletes, keeping the assets', async () => {
    const a = await signUp(t.app);
    const created = await call(t.app, 'POST', '/api/v1/collections', { token: a.access_token, body: { name: 'Summer', description: 'beach' } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.data).toMatchObject({ name: 'Summer', description: 'beach', is_public: false, item_count: 0, cover_url: null });
    const id = created.data.id;
    expect((await call(t.app, 'GET', '/api/v1/collections', { token: a.access_token })).data.data.map((c: { id: string }) => c.id)).toEqual([id]);
    const patched = await call(t.app, 'PATCH', `/api/v1/collections/${id}`, { token: a.access_token, body: { name: 'Winter', is_public: true } });
    expect(patched.data).toMatchObject({ name: 'Winter', is_public: true });
    const [asset] = await uploadN(a.access_token, 1);
    await call(t.app, 'POST', `/api/v1/collections/${id}/items`, { token: a.access_token, body: { asset_id: asset } });
    expect((await call(t.app, 'DELETE', `/api/v1/collections/${id}`, { token: a.access_token })).statusCode).toBe(204);
    expect((await call(t.app, 'GET', `/api/v1/collections/${id}`, { token: a.access_token })).statusCode).toBe(404);
    expect((await call(t.app, 'GET', `/api/v1/assets/${asset}`, { token: a.access_token })).statusCode).toBe(200);
    for (const body of [{}, { name: '' }, { name: 'x', extra: 1 }]) {
      expect((await call(t.app, 'POST', '/api/v1/collections', { token: a.access_token, body })).statusCode, JSON.stringify(body)).toBe(400);
    }
  });

  it('adds and removes items with an exact count, a cover and their order', async () => {
    const a = await signUp(t.app);
    const ids = await uploadN(a.access_token, 3);
    const c = (await call(t.app, 'POST', '/api/v1/collections', { token: a.access_token, body: { name: 'Set' } })).data;
    for (const id of ids) {
      const res = await call(t.app, 'POST', `/api/v1/collections/${c.id}/items`, { token: a.access_token, body: { asset_id: id } });
      expect(res.statusCode, res.body).toBe(201);
    }
    const again = await call(t.app, 'POST', `/api/v1/collections/${c.id}/items`, { token: a.access_token, body: { asset_id: ids[0] } });
    expect(again.statusCode).toBe(409);
    let got = (await call(t.app, 'GET', `/api/v1/collections/${c.id}`, { token: a.access_token })).data;
    expect(got.item_count).toBe(3);
    expect(got.cover_url).toContain(`/assets/${ids[0]}/thumbnail`);
    expect((await getBytes(t.app, got.cover_url)).statusCode).toBe(200);
    const inIt = await call(t.app, 'GET', `/api/v1/assets?collection_id=${c.id}`, { token: a.access_token });
    expect(inIt.data.data.map((x: { id: string }) => x.id).sort()).toEqual([...ids].sort());

    expect((await call(t.app, 'DELETE', `/api/v1/collections/${c.id}/items/${ids[0]}`, { token: a.access_token })).statusCode).toBe(204);
    expect((await call(t.app, 'DELETE', `/api/v1/collections/${c.id}/items/${ids[0]}`, { token: a.access_token })).statusCode).toBe(404);
    got = (await call(t.app, 'GET', `/api/v1/collections/${c.id}`, { token: a.access_token })).data;
    expect(got.item_count).toBe(2);
    expect(got.cover_url).toContain(`/assets/${ids[1]}/thumbnail`);

    // Deleting an asset takes it out of its collections too.
    expect((await call(t.app, 'DELETE', `/api/v1/assets/${ids[1]}`, { token: a.access_token })).statusCode).toBe(204);
    got = (await call(t.app, 'GET', `/api/v1/collections/${c.id}`, { token: a.access_token })).data;
    expect(got.item_count).toBe(1);
    expect(got.cover_url).toContain(`/assets/${ids[2]}/thumbnail`);
  });

  it('keeps exact counts under parallel adds', async () => {
    const a = await signUp(t.app);
    const ids = await uploadN(a.access_token, 6);
    const c = (await call(t.app, 'POST', '/api/v1/collections', { token: a.access_token, body: { name: 'Race' } })).data;
    const results = await Promise.all(ids.map((id) => call(t.app, 'POST', `/api/v1/collections/${c.id}/items`, { token: a.access_token, body: { asset_id: id } })));
    expect(results.map((r) => r.statusCode)).toEqual(ids.map(() => 201));
    expect((await call(t.app, 'GET', `/api/v1/collections/${c.id}`, { token: a.access_token })).data.item_count).toBe(6);
  });

  it('answers 404 for another user’s collection or asset', async () => {
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    const [mine] = await uploadN(a.access_token, 1);
    const [theirs] = await uploadN(b.access_token, 1);
    const c = (await call(t.app, 'POST', '/api/v1/collections', { token: a.access_token, body: { name: 'Mine' } })).data;
    expect((await call(t.app, 'POST', `/api/v1/collections/${c.id}/items`, { token: a.access_token, body: { asset_id: theirs } })).statusCode).toBe(404);
    for (const [method, url, body] of [
      ['GET', `/api/v1/collections/${c.id}`],
      ['PATCH', `/api/v1/collections/${c.id}`, { name: 'stolen' }],
      ['DELETE', `/api/v1/collections/${c.id}`],
      ['POST', `/api/v1/collections/${c.id}/items`, { asset_id: theirs }],
      ['DELETE', `/api/v1/collections/${c.id}/items/${mine}`],
    ] as const) {
      const res = await call(t.app, method, url, { token: b.access_token, ...(body ? { body } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await call(t.app, 'GET', `/api/v1/collections/${c.id}`, { token: a.access_token })).data).toMatchObject({ name: 'Mine', item_count: 0 });
  });
});

describe('public vendor pages', () => {
  it('shows a vendor’s page, public albums only, and a public album with its images', async () => {
    const v = await signUp(t.app, { account_type: 'vendor', business_name: 'Pixel Shop' });
    const me = (await call(t.app, 'GET', '/api/v1/me', { token: v.access_token })).data;
    const slug = me.vendor_profile.slug as string;
    const ids = await uploadN(v.access_token, 2);
    const pub = (await call(t.app, 'POST', '/api/v1/collections', { token: v.access_token, body: { name: 'Portfolio', is_public: true } })).data;
    const priv = (await call(t.app, 'POST', '/api/v1/collections', { token: v.access_token, body: { name: 'Drafts' } })).data;
    for (const id of ids) await call(t.app, 'POST', `/api/v1/collections/${pub.id}/items`, { token: v.access_token, body: { asset_id: id } });

    const page = await call(t.app, 'GET', `/api/v1/public/vendors/${slug}`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.data).toMatchObject({ slug, business_name: 'Pixel Shop', is_verified: false });
    const albums = await call(t.app, 'GET', `/api/v1/public/vendors/${slug}/albums`);
    expect(albums.data.data.map((c: { id: string }) => c.id)).toEqual([pub.id]);
    const album = await call(t.app, 'GET', `/api/v1/public/collections/${pub.id}`);
    expect(album.statusCode).toBe(200);
    expect(album.data.items.map((i: { id: string }) => i.id)).toEqual(ids);
    expect(album.data.items[0]).not.toHaveProperty('notes');
    expect((await getBytes(t.app, album.data.items[0].url)).statusCode).toBe(200);

    expect((await call(t.app, 'GET', `/api/v1/public/collections/${priv.id}`)).statusCode).toBe(404);
    expect((await call(t.app, 'GET', '/api/v1/public/vendors/no-such-vendor')).statusCode).toBe(404);
  });
});
