/**
 * Products: CRUD, filters and pages, owner scoping, images that must be the owner's assets, the
 * primary image, custom_fields checks, and a generation with `product_id` taking the product's images.
 * Real: app, database (PGlite or PostgreSQL), media uploads and storage, queue and in-process workers,
 * ledger. Stand-in: the image provider (test/helpers/stand-in-provider.ts), which records its inputs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, sqlRows } from '../helpers/app.ts';
import { createGenerationTestApp, type GenerationTestApp } from '../helpers/generation.ts';
import { createStandInProvider } from '../helpers/stand-in-provider.ts';

let t: GenerationTestApp;
const standIn = createStandInProvider();
beforeAll(async () => {
  t = await createGenerationTestApp({ generation: { providers: [standIn.provider] } });
  await t.startWorkers();
});
afterAll(async () => t?.close());

const post = (token: string, body: unknown) => call(t.app, 'POST', '/api/v1/products', { token, body });

describe('products', () => {
  it('creates, reads, changes and deletes a product with its images', async () => {
    const u = await t.user(0);
    const [a, b] = [await t.sourceAsset(u.token), await t.sourceAsset(u.token)];
    const created = await post(u.token, { name: 'Mug', sku: 'MUG-1', tags: ['kitchen', 'gift'], custom_fields: { colour: 'blue', dims: { h: 10 } }, image_asset_ids: [a, b] });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.data).toMatchObject({ name: 'Mug', sku: 'MUG-1', tags: ['kitchen', 'gift'], custom_fields: { colour: 'blue', dims: { h: 10 } }, image_asset_ids: [a, b], primary_image_asset_id: a });
    expect(created.data.images).toHaveLength(2);
    expect(created.data.images[0]).toMatchObject({ asset_id: a, is_primary: true, filename: 'photo.png' });
    expect(created.data.images[0].size_bytes).toBeGreaterThan(0);
    // The signed link serves the bytes.
    expect((await call(t.app, 'GET', created.data.images[0].url.replace(/^https?:\/\/[^/]+/, ''))).statusCode).toBe(200);

    const id = created.data.id;
    const primaryB = await call(t.app, 'PATCH', `/api/v1/products/${id}`, { token: u.token, body: { primary_image_asset_id: b, description: 'Stoneware' } });
    expect(primaryB.statusCode, primaryB.body).toBe(200);
    // The images keep the owner's order; only the primary flag moves.
    expect(primaryB.data).toMatchObject({ name: 'Mug', description: 'Stoneware', primary_image_asset_id: b, image_asset_ids: [a, b] });
    expect(primaryB.data.images.map((i: any) => i.is_primary)).toEqual([false, true]);

    const dropB = await call(t.app, 'PATCH', `/api/v1/products/${id}`, { token: u.token, body: { image_asset_ids: [a] } });
    expect(dropB.data).toMatchObject({ image_asset_ids: [a], primary_image_asset_id: a });

    expect((await call(t.app, 'DELETE', `/api/v1/products/${id}`, { token: u.token })).statusCode).toBe(204);
    expect((await call(t.app, 'GET', `/api/v1/products/${id}`, { token: u.token })).statusCode).toBe(404);
    expect(await sqlRows(t, `select 1 from product_images where product_id = '${id}'`)).toEqual([]);
  });

  it('hides another user’s product and refuses another user’s asset, changing nothing', async () => {
    const owner = await t.user(0);
    const other = await t.user(0);
    const mine = await t.sourceAsset(owner.token);
    const theirs = await t.sourceAsset(other.token);
    const p = (await post(owner.token, { name: 'Lamp', image_asset_ids: [mine] })).data;
    for (const [method, body] of [['GET'], ['PATCH', { name: 'x' }], ['DELETE']] as const) {
      const res = await call(t.app, method, `/api/v1/products/${p.id}`, { token: other.token, body });
      expect(res.statusCode, `${method} ${res.body}`).toBe(404);
      expect(res.data.code).toBe('not_found');
    }
    expect((await call(t.app, 'GET', '/api/v1/products', { token: other.token })).data.data).toEqual([]);

    expect((await post(owner.token, { name: 'Stolen', image_asset_ids: [theirs] })).statusCode).toBe(404);
    expect(await sqlRows(t, `select 1 from products where name = 'Stolen'`)).toEqual([]);
    const patch = await call(t.app, 'PATCH', `/api/v1/products/${p.id}`, { token: owner.token, body: { name: 'Renamed', image_asset_ids: [mine, theirs] } });
    expect(patch.statusCode).toBe(404);
    const after = (await call(t.app, 'GET', `/api/v1/products/${p.id}`, { token: owner.token })).data;
    expect(after).toMatchObject({ name: 'Lamp', image_asset_ids: [mine] });
    expect((await call(t.app, 'GET', '/api/v1/products', {})).statusCode).toBe(401);
  });

  it('validates the body: primary among the images, custom_fields an object of bounded size, no unknown fields', async () => {
    const u = await t.user(0);
    const a = await t.sourceAsset(u.token);
    const b = await t.sourceAsset(u.token);
    const bad = [
      { name: '' },
      { name: 'x', image_asset_ids: [a], primary_image_asset_id: b },
      { name: 'x', custom_fields: [1, 2] },
      { name: 'x', custom_fields: 'text' },
      { name: 'x', custom_fields: { big: 'y'.repeat(17_000) } },
      { name: 'x', colour: 'red' },
      { name: 'x', image_asset_ids: ['not-a-uuid'] },
    ];
    for (const body of bad) {
      const res = await post(u.token, body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.data.code).toBe('validation_failed');
    }
    expect(await sqlRows(t, `select 1 from products where owner_id = '${u.id}'`)).toEqual([]);
  });

  it('parallel image changes to one product leave exactly one of them, with one primary', async () => {
    const u = await t.user(0);
    const ids = await Promise.all([0, 1, 2, 3].map(() => t.sourceAsset(u.token)));
    const p = (await post(u.token, { name: 'Chair', image_asset_ids: ids })).data;
    const sets = [[ids[0]!, ids[1]!], [ids[2]!, ids[3]!], [ids[3]!, ids[0]!], [ids[1]!]];
    const results = await Promise.all(sets.map((set) => call(t.app, 'PATCH', `/api/v1/products/${p.id}`, { token: u.token, body: { image_asset_ids: set } })));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    const after = (await call(t.app, 'GET', `/api/v1/products/${p.id}`, { token: u.token })).data;
    expect(sets.map((s) => JSON.stringify(s))).toContain(JSON.stringify(after.image_asset_ids));
    expect(after.images.filter((i: any) => i.is_primary)).toHaveLength(1);
  });

  it('filters by tag, sku and text and pages with a cursor', async () => {
    const u = await t.user(0);
    for (let i = 0; i < 5; i++) await post(u.token, { name: `Shirt ${i}`, sku: `S-${i}`, tags: i % 2 ? ['odd'] : ['even'], description: i === 3 ? 'Linen 100%' : null });
    // Newest first; rows made within one clock tick tie-break by id, so compare the sets.
    const names = async (qs: string) => (await call(t.app, 'GET', `/api/v1/products?${qs}`, { token: u.token })).data.data.map((p: any) => p.name).sort();
    expect(await names('tag=odd')).toEqual(['Shirt 1', 'Shirt 3']);
    expect(await names('sku=S-2')).toEqual(['Shirt 2']);
    expect(await names('q=linen')).toEqual(['Shirt 3']);
    expect(await names('q=100%25')).toEqual(['Shirt 3']);
    expect(await names('q=shirt%204')).toEqual(['Shirt 4']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await call(t.app, 'GET', `/api/v1/products?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: u.token });
      expect(page.statusCode, page.body).toBe(200);
      seen.push(...page.data.data.map((p: any) => p.name));
      cursor = page.data.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(seen.sort()).toEqual(['Shirt 0', 'Shirt 1', 'Shirt 2', 'Shirt 3', 'Shirt 4']);
    expect((await call(t.app, 'GET', '/api/v1/products?cursor=nonsense', { token: u.token })).statusCode).toBe(400);
  });

  it('a generation with product_id hands the provider the product’s images, primary first', async () => {
    const u = await t.user(10);
    const [a, b] = [await t.sourceAsset(u.token), await t.sourceAsset(u.token)];
    const p = (await post(u.token, { name: 'Vase', image_asset_ids: [a, b], primary_image_asset_id: b })).data;
    const res = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'model_shot', product_id: p.id, num_outputs: 1 } });
    expect(res.statusCode, res.body).toBe(202);
    const done = await t.until(u.token, res.data.id, (g) => ['completed', 'failed'].includes(g.status));
    expect(done.status).toBe('completed');
    const run = standIn.runs.find((r) => r.input.generationId === res.data.id)!;
    expect(run.input.images.map((i) => i.assetId)).toEqual([b, a]);

    // Another user's product is unknown to the engine too.
    const other = await t.user(10);
    const refused = await call(t.app, 'POST', '/api/v1/generations', { token: other.token, body: { type: 'model_shot', product_id: p.id } });
    expect(refused.statusCode).toBe(404);
    expect(await t.balance(other.id)).toEqual({ available: 10, held: 0 });
  }, 90_000);

  it('deleting a product keeps its generations, with product_id set to null and the credits as they were', async () => {
    const u = await t.user(10);
    const p = (await post(u.token, { name: 'Lamp', image_asset_ids: [await t.sourceAsset(u.token)] })).data;
    const res = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'model_shot', product_id: p.id, num_outputs: 1 } });
    expect(res.statusCode, res.body).toBe(202);
    const done = await t.until(u.token, res.data.id, (g) => ['completed', 'failed'].includes(g.status));
    expect(done).toMatchObject({ status: 'completed', product_id: p.id });
    const balance = await t.balance(u.id);

    expect((await call(t.app, 'DELETE', `/api/v1/products/${p.id}`, { token: u.token })).statusCode).toBe(204);
    const after = await t.get(u.token, res.data.id);
    expect(after).toMatchObject({ status: 'completed', product_id: null, credits_used: done.credits_used });
    expect(after.outputs).toHaveLength(done.outputs.length);
    expect(await t.balance(u.id)).toEqual(balance);
    // The deleted product is unknown to the engine from now on.
    const refused = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'model_shot', product_id: p.id } });
    expect(refused.statusCode).toBe(404);
    expect(await t.balance(u.id)).toEqual(balance);
  }, 90_000);
});
