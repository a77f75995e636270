/**
 * The product-shots product (seed 000) end to end on the embedded default: a product with images,
 * custom fields and tags → `model_shot`, `lifestyle`, `room_scene` → the gallery (favourite,
 * rating, notes) → a credit pack bought → the admin's view.
 * Real: a server started with ATELIER_PRESET=product-shots (preset-server.ts) on a fresh database,
 * the local provider, the queue and workers, HTTP over a real port, manual payments. Stand-ins: none.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueEmail } from '../helpers/accounts.ts';
import { buyManually, emailUser, startPresetServer, type PresetServer } from './preset-server.ts';

let s: PresetServer;
beforeAll(async () => {
  s = await startPresetServer('product-shots');
}, 60_000);
afterAll(async () => s?.close());

const packshot = (hue: number) =>
  sharp({ create: { width: 360, height: 360, channels: 3, background: { r: 250, g: 250, b: 250 } } })
    .composite([{ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="360" height="360"><rect x="110" y="60" width="140" height="240" rx="24" fill="hsl(${hue},60%,45%)"/></svg>`) }])
    .jpeg()
    .toBuffer();

describe('product-shots preset', () => {
  it('is a dollar product with one studio and its scenes', async () => {
    expect((await s.api('GET', '/config')).data).toMatchObject({ preset: 'product-shots', product_name: 'Atelier Product Shots', studios: ['product-shots'], currency: 'USD', locales: ['en'] });
    const packs = (await s.api('GET', '/billing/packages')).data.data;
    expect(packs.map((p: any) => [p.name, p.currency])).toEqual([
      ['Starter', 'USD'],
      ['Pro', 'USD'],
      ['Premium', 'USD'],
    ]);
    expect((await s.api('GET', '/billing/plans')).data.data.map((p: any) => [p.name, p.currency])).toEqual([['free', 'USD']]);
    const types = (await s.api('GET', '/generation-types')).data.map((t: any) => t.type);
    expect(types.sort()).toEqual(['lifestyle', 'model_shot', 'room_scene']);
    const scenes = (await s.api('GET', '/styles?studio=product-shots&kind=scene')).data.data;
    expect(scenes.length).toBeGreaterThanOrEqual(6);
  });

  it('turns a product into shots, curates them, buys credits, and shows the admin', { timeout: 240_000 }, async () => {
    const token = await emailUser(s, uniqueEmail('shop'));
    expect((await s.api('GET', '/credits', { token })).data.available).toBe(3);
    const images = [await s.upload(token, await packshot(10)), await s.upload(token, await packshot(200))];
    const created = await s.api('POST', '/products', {
      token,
      body: {
        name: 'Heritage wallpaper',
        sku: 'DW-EH-01',
        image_asset_ids: images,
        primary_image_asset_id: images[0],
        custom_fields: { brand: 'Daga Wallpapers', pattern_repeat: '64cm', dimensions: { width: '53cm', length: '10m' }, color_family: ['blue', 'gold'] },
        tags: ['bestseller', 'summer'],
      },
    });
    expect(created.status, JSON.stringify(created.data)).toBe(201);
    const productId = created.data.id as string;
    expect((await s.api('GET', '/products?tag=bestseller', { token })).data.data.map((p: any) => p.id)).toEqual([productId]);

    const shots: any[] = [];
    for (const type of ['model_shot', 'lifestyle', 'room_scene']) {
      const res = await s.api('POST', '/generations', { token, body: { type, product_id: productId } });
      expect(res.status, `${type}: ${JSON.stringify(res.data)}`).toBe(202);
      shots.push(res.data);
    }
    // The sign-up credits are spent; a fourth shot needs a pack.
    const broke = await s.api('POST', '/generations', { token, body: { type: 'lifestyle', product_id: productId } });
    expect(broke.status).toBe(402);
    for (const shot of shots) {
      const done = await s.settled(token, shot.id);
      expect(done, JSON.stringify(done.error)).toMatchObject({ status: 'completed', credits_used: 1 });
      expect(done.outputs).toHaveLength(1);
    }

    const first = shots[0].id as string;
    const curated = await s.api('PATCH', `/generations/${first}`, { token, body: { is_favorited: true, user_rating: 4, user_notes: 'use for the catalogue cover' } });
    expect(curated.data).toMatchObject({ is_favorited: true, user_rating: 4, user_notes: 'use for the catalogue cover' });
    const output = (await s.api('GET', `/generations/${first}`, { token })).data.outputs[0];
    expect((await s.api('PATCH', `/assets/${output.id}`, { token, body: { is_favorite: true, rating: 5, notes: 'hero' } })).data).toMatchObject({ is_favorite: true, rating: 5, notes: 'hero' });
    expect((await s.api('GET', '/assets?favorite=true', { token })).data.data.map((a: any) => a.id)).toContain(output.id);

    const starter = (await s.api('GET', '/billing/packages')).data.data.find((p: any) => p.name === 'Starter');
    await buyManually(s, token, { package_id: starter.id });
    expect((await s.api('GET', '/credits', { token })).data.available).toBe(10);
    const more = await s.api('POST', '/generations', { token, body: { type: 'lifestyle', product_id: productId, params: { scene_type: 'marble_counter' } } });
    expect(more.status, JSON.stringify(more.data)).toBe(202);
    expect(await s.settled(token, more.data.id)).toMatchObject({ status: 'completed' });

    const admin = await s.admin();
    const list = await s.api('GET', '/admin/generations', { token: admin });
    expect(list.data.data.map((g: any) => g.id)).toEqual(expect.arrayContaining([...shots.map((x) => x.id), more.data.id]));
    await s.invariants();
  });
});
