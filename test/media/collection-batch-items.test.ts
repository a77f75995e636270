/**
 * Adding many images to a collection in one request (`POST /collections/{id}/items` with
 * `asset_ids`, decision 105): order kept, items already there skipped, ownership and the vendor
 * album quota checked for the whole batch, and a refused batch writes nothing — also when two
 * batches race for the last places of the quota. The single `asset_id` form is unchanged.
 * Real: app, database, sharp, local-disk storage in a temp data dir, the seeded Vendor Free plan
 * (10 images in albums).
 * Stand-ins: images generated here with sharp; a manual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, signUp } from '../helpers/accounts.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { uploadImages } from '../helpers/media.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const uploadN = (token: string, n: number) => uploadImages(t.app, token, n);

const album = async (token: string, name: string): Promise<string> => (await call(t.app, 'POST', '/api/v1/collections', { token, body: { name } })).data.id;
const add = (token: string, id: string, body: object) => call(t.app, 'POST', `/api/v1/collections/${id}/items`, { token, body });
const itemsOf = (id: string) => sqlRows<{ asset_id: string }>(t, `select asset_id from collection_items where collection_id = '${id}' order by position`);

describe('POST /collections/{id}/items with asset_ids', () => {
  it('adds in the order given, skips what is already there, and answers what it added', async () => {
    const a = await signUp(t.app);
    const ids = await uploadN(a.access_token, 4);
    const c = await album(a.access_token, 'Batch');
    expect((await add(a.access_token, c, { asset_id: ids[1] })).statusCode).toBe(201);

    const res = await add(a.access_token, c, { asset_ids: [ids[3], ids[1], ids[0], ids[3]] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.added_asset_ids).toEqual([ids[3], ids[0]]);
    expect(res.data.item_count).toBe(3);
    expect((await itemsOf(c)).map((r) => r.asset_id)).toEqual([ids[1], ids[3], ids[0]]);
    expect(res.data.cover_url).toContain(ids[1]);

    // Nothing new is still a success for a batch: it says it added nothing.
    const again = await add(a.access_token, c, { asset_ids: [ids[0], ids[1]] });
    expect(again.statusCode).toBe(201);
    expect(again.data).toMatchObject({ added_asset_ids: [], item_count: 3 });
  });

  it('keeps the single form: 201 with the collection, 409 when the asset is already there', async () => {
    const a = await signUp(t.app);
    const [id] = await uploadN(a.access_token, 1);
    const c = await album(a.access_token, 'One');
    const first = await add(a.access_token, c, { asset_id: id });
    expect(first.statusCode).toBe(201);
    expect(first.data).toMatchObject({ id: c, item_count: 1, added_asset_ids: [id] });
    const dup = await add(a.access_token, c, { asset_id: id });
    expect(dup.statusCode).toBe(409);
    expect(dup.data.code).toBe('conflict');
  });

  it('refuses bad bodies with 400 validation_failed and writes nothing', async () => {
    const a = await signUp(t.app);
    const ids = await uploadN(a.access_token, 1);
    const c = await album(a.access_token, 'Bad');
    const many = Array.from({ length: 101 }, () => ids[0]);
    for (const body of [{}, { asset_id: ids[0], asset_ids: ids }, { asset_ids: [] }, { asset_ids: many }, { asset_ids: ['nope'] }, { asset_ids: ids, extra: 1 }]) {
      const res = await add(a.access_token, c, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.data.code).toBe('validation_failed');
    }
    expect(await itemsOf(c)).toEqual([]);
  });

  it('refuses the whole batch with 404 when one asset is not the caller’s, and another user’s collection with 404', async () => {
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    const mine = await uploadN(a.access_token, 2);
    const [theirs] = await uploadN(b.access_token, 1);
    const c = await album(a.access_token, 'Mixed');
    const res = await add(a.access_token, c, { asset_ids: [mine[0], theirs, mine[1]] });
    expect(res.statusCode).toBe(404);
    expect(res.data.code).toBe('not_found');
    expect(await itemsOf(c)).toEqual([]);
    expect((await call(t.app, 'GET', `/api/v1/collections/${c}`, { token: a.access_token })).data).toMatchObject({ item_count: 0, cover_url: null });
    expect((await add(b.access_token, c, { asset_ids: [theirs] })).statusCode).toBe(404);
  });
});

describe('the vendor album quota for a batch', () => {
  it('counts the images the batch would newly show, refuses over the limit with its numbers, and writes nothing', async () => {
    const v = await signUp(t.app, { account_type: 'vendor', business_name: 'Batch Shop' });
    const ids = await uploadN(v.access_token, 12);
    const one = await album(v.access_token, 'One');
    const two = await album(v.access_token, 'Two');
    expect((await add(v.access_token, one, { asset_ids: ids.slice(0, 8) })).statusCode).toBe(201);

    // 8 shown + 3 new = 11 > 10: refused, though two of the five are already shown.
    const over = await add(v.access_token, two, { asset_ids: [ids[0], ids[1], ids[8], ids[9], ids[10]] });
    expect(over.statusCode).toBe(403);
    expect(over.data).toMatchObject({ code: 'quota_exceeded', limit: 10, used: 8, requested: 3, resets_at: null });
    expect(await itemsOf(two)).toEqual([]);

    // Images already shown elsewhere do not count again: 8 + 2 = 10 fits.
    const fits = await add(v.access_token, two, { asset_ids: [ids[0], ids[1], ids[8], ids[9]] });
    expect(fits.statusCode, fits.body).toBe(201);
    expect(fits.data.item_count).toBe(4);
    const single = await add(v.access_token, two, { asset_id: ids[10] });
    expect(single.statusCode).toBe(403);
    expect(single.data).toMatchObject({ code: 'quota_exceeded', limit: 10, used: 10 });
  });

  it('lets only one of two parallel batches take the last places', async () => {
    const v = await signUp(t.app, { account_type: 'vendor', business_name: 'Race Batch Shop' });
    const ids = await uploadN(v.access_token, 12);
    const [a, b] = await Promise.all([album(v.access_token, 'A'), album(v.access_token, 'B')]);
    const results = await Promise.all([add(v.access_token, a!, { asset_ids: ids.slice(0, 6) }), add(v.access_token, b!, { asset_ids: ids.slice(6, 12) })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 403]);
    const shown = await countRows(
      t,
      `select count(distinct ci.asset_id) as n from collection_items ci join collections c on c.id = ci.collection_id where c.owner_id = '${v.user.id}'`,
    );
    expect(shown).toBe(6);
  });
});
