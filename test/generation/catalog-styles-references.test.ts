/**
 * style_conversion against the catalog and with a reference image (decision 046): any active catalog
 * style of kind `style` is accepted (admin-created ones too), anything else is a 400 naming `style`;
 * `reference_asset_id` may be the caller's own image or a vendor's publicly shown one (public, or in
 * a public album), anything else is a 404; refusals hold nothing and create nothing. The local
 * provider transfers the reference's colours onto the photo.
 * Real: app, database (PGlite or PostgreSQL via TEST_DATABASE_URL), queue and workers in this
 * process, the local provider (sharp), storage, the ledger. Stand-ins: the admin is a signed-up user
 * promoted by SQL; the images are drawn here with sharp.
 */
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/app.ts';
import { countRows, signUp, signUpAdmin } from '../helpers/accounts.ts';
import { createGenerationTestApp, final, type GenerationTestApp } from '../helpers/generation.ts';
import { getBytes, upload } from '../helpers/media.ts';

let g: GenerationTestApp;
let admin: string;
beforeAll(async () => {
  g = await createGenerationTestApp({ generation: {} });
  const a = await signUpAdmin(g);
  admin = a.access_token;
  await g.startWorkers();
});
afterEach(async () => g.invariants());
afterAll(async () => g?.close());

const submit = (token: string, body: Record<string, unknown>) => call(g.app, 'POST', '/api/v1/generations', { token, body });
const generationsOf = (userId: string) => countRows(g, `select count(*) as n from generations where user_id = '${userId}'`);

/** A flat-colour picture with some structure (a circle), as PNG. */
async function drawn(token: string, fill: string, ink: string): Promise<string> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="90"><rect width="120" height="90" fill="${fill}"/><circle cx="60" cy="45" r="28" fill="${ink}"/></svg>`;
  const res = await upload(g.app, token, { filename: 'drawn.png', contentType: 'image/png', data: await sharp(Buffer.from(svg)).png().toBuffer() });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id;
}

async function meanRgb(url: string): Promise<{ r: number; g: number; b: number }> {
  const res = await getBytes(g.app, url);
  expect(res.statusCode).toBe(200);
  const { channels } = await sharp(res.rawPayload).stats();
  return { r: channels[0]!.mean, g: channels[1]!.mean, b: channels[2]!.mean };
}

async function createStyle(body: Record<string, unknown>): Promise<string> {
  const res = await call(g.app, 'POST', '/api/v1/admin/styles', { token: admin, body: { studio: 'style-studio', kind: 'style', prompt: 'a test look', ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id;
}

describe('catalog styles in style_conversion', () => {
  it('accepts an admin-created style, lists it in GET /generation-types, and runs it locally with its look', async () => {
    await createStyle({ key: 'soft_wash', name: 'Soft wash', params: { look: 'watercolor' } });
    const types = (await call(g.app, 'GET', '/api/v1/generation-types')).data as Array<{ type: string; styles?: string[]; params_schema: any }>;
    const sc = types.find((t) => t.type === 'style_conversion')!;
    expect(sc.styles).toEqual(expect.arrayContaining(['soft_wash', 'watercolor']));
    expect(sc.styles).not.toContain('office'); // a background, not a style
    expect(JSON.stringify(sc.params_schema)).not.toContain('"enum":["sketch"');

    const u = await g.user(2);
    const src = await drawn(u.token, '#dfe7f0', '#203040');
    const res = await submit(u.token, { type: 'style_conversion', style: 'soft_wash', source_asset_ids: [src] });
    expect(res.statusCode, res.body).toBe(202);
    const done = await g.until(u.token, res.data.id, final, 60_000);
    expect(done.status, JSON.stringify(done.error)).toBe('completed');
    expect(done.model).toBe('local/style-watercolor');
  }, 90_000);

  it('refuses an unknown, inactive or non-style key with 400 naming style, holding and creating nothing', async () => {
    const id = await createStyle({ key: 'retired_look', name: 'Retired' });
    expect((await call(g.app, 'PATCH', `/api/v1/admin/styles/${id}`, { token: admin, body: { is_active: false } })).statusCode).toBe(200);
    const u = await g.user(3);
    const src = await g.sourceAsset(u.token);
    for (const style of ['crayon', 'retired_look', 'office']) {
      const res = await submit(u.token, { type: 'style_conversion', style, source_asset_ids: [src] });
      expect(res.statusCode, style).toBe(400);
      expect(res.data.code).toBe('validation_failed');
      expect(res.data.errors.map((e: any) => e.path)).toEqual(['style']);
    }
    expect(await g.balance(u.id)).toEqual({ available: 3, held: 0 });
    expect(await generationsOf(u.id)).toBe(0);
  });
});

describe('reference_asset_id in style_conversion', () => {
  it("transfers a vendor's public gallery image's colours onto the photo (asset marked public, or in a public album)", async () => {
    await createStyle({ key: 'as_reference', name: 'As the reference' });
    const vendor = await signUp(g.app, { account_type: 'vendor', business_name: `Red Studio ${Date.now()}` });
    const red = await drawn(vendor.access_token, '#c03020', '#e07040');
    expect((await call(g.app, 'PATCH', `/api/v1/assets/${red}`, { token: vendor.access_token, body: { is_public: true } })).statusCode).toBe(200);
    const albumImage = await drawn(vendor.access_token, '#b02818', '#d06030');
    const album = await call(g.app, 'POST', '/api/v1/collections', { token: vendor.access_token, body: { name: 'Looks', is_public: true } });
    expect((await call(g.app, 'POST', `/api/v1/collections/${album.data.id}/items`, { token: vendor.access_token, body: { asset_id: albumImage } })).statusCode).toBe(201);

    const u = await g.user(4);
    const src = await drawn(u.token, '#c8d8f0', '#304870');
    const before = await meanRgb((await call(g.app, 'GET', `/api/v1/assets/${src}`, { token: u.token })).data.url);
    expect(before.b).toBeGreaterThan(before.r);
    for (const reference of [red, albumImage]) {
      const res = await submit(u.token, { type: 'style_conversion', style: 'as_reference', source_asset_ids: [src], reference_asset_id: reference, params: { strength: 1 } });
      expect(res.statusCode, res.body).toBe(202);
      expect(res.data.params).toMatchObject({ reference_asset_id: reference });
      const done = await g.until(u.token, res.data.id, final, 60_000);
      expect(done.status, JSON.stringify(done.error)).toBe('completed');
      expect(done.model).toBe('local/style-reference');
      const after = await meanRgb(done.outputs[0].url);
      // The blue photo now carries the reference's red: its mean colour crossed over.
      expect(after.r).toBeGreaterThan(after.b + 40);
    }
    expect(await g.balance(u.id)).toEqual({ available: 2, held: 0 });
  }, 120_000);

  it('takes one of the caller’s own images with a built-in look', async () => {
    const u = await g.user(1);
    const src = await drawn(u.token, '#c8d8f0', '#304870');
    const own = await drawn(u.token, '#f0d060', '#806020');
    const res = await submit(u.token, { type: 'style_conversion', style: 'vintage', source_asset_ids: [src], reference_asset_id: own });
    expect(res.statusCode, res.body).toBe(202);
    const done = await g.until(u.token, res.data.id, final, 60_000);
    expect(done.status, JSON.stringify(done.error)).toBe('completed');
    expect(done.model).toBe('local/style-vintage+reference');
  }, 90_000);

  it('fails the run, releasing the hold, when the vendor makes the image private between submit and run', async () => {
    const vendor = await signUp(g.app, { account_type: 'vendor', business_name: `Fickle Studio ${Date.now()}` });
    const look = await drawn(vendor.access_token, '#c03020', '#e07040');
    await call(g.app, 'PATCH', `/api/v1/assets/${look}`, { token: vendor.access_token, body: { is_public: true } });
    const u = await g.user(1);
    const src = await g.sourceAsset(u.token);
    await g.stopWorkers();
    try {
      const res = await submit(u.token, { type: 'style_conversion', style: 'noir', source_asset_ids: [src], reference_asset_id: look });
      expect(res.statusCode, res.body).toBe(202);
      expect(await g.balance(u.id)).toEqual({ available: 0, held: 1 });
      expect((await call(g.app, 'PATCH', `/api/v1/assets/${look}`, { token: vendor.access_token, body: { is_public: false } })).statusCode).toBe(200);
      await g.startWorkers();
      const done = await g.until(u.token, res.data.id, final, 60_000);
      expect(done.status).toBe('failed');
      expect(done.error.message).toContain('no longer available');
      expect(await g.balance(u.id)).toEqual({ available: 1, held: 0 });
    } finally {
      await g.startWorkers();
    }
  }, 90_000);

  it("refuses another user's, a vendor's private and a non-vendor's public image with 404, and the field on other types with 400; nothing held", async () => {
    const vendor = await signUp(g.app, { account_type: 'vendor', business_name: `Private Studio ${Date.now()}` });
    const vendorPrivate = await drawn(vendor.access_token, '#20a040', '#104020');
    const privateAlbum = await call(g.app, 'POST', '/api/v1/collections', { token: vendor.access_token, body: { name: 'Drafts', is_public: false } });
    await call(g.app, 'POST', `/api/v1/collections/${privateAlbum.data.id}/items`, { token: vendor.access_token, body: { asset_id: vendorPrivate } });
    const other = await g.user(0);
    const othersPrivate = await g.sourceAsset(other.token);
    const othersPublic = await g.sourceAsset(other.token);
    expect((await call(g.app, 'PATCH', `/api/v1/assets/${othersPublic}`, { token: other.token, body: { is_public: true } })).statusCode).toBe(200);

    const u = await g.user(3);
    const src = await g.sourceAsset(u.token);
    for (const reference of [vendorPrivate, othersPrivate, othersPublic, '00000000-0000-4000-8000-000000000000']) {
      const res = await submit(u.token, { type: 'style_conversion', style: 'noir', source_asset_ids: [src], reference_asset_id: reference });
      expect(res.statusCode, reference).toBe(404);
      expect(res.data.code).toBe('not_found');
    }
    const wrongType = await submit(u.token, { type: 'upscale', source_asset_ids: [src], reference_asset_id: src });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.data.errors.map((e: any) => e.path)).toEqual(['reference_asset_id']);
    const notUuid = await submit(u.token, { type: 'style_conversion', style: 'noir', source_asset_ids: [src], reference_asset_id: 'red' });
    expect(notUuid.statusCode).toBe(400);
    expect(await g.balance(u.id)).toEqual({ available: 3, held: 0 });
    expect(await generationsOf(u.id)).toBe(0);
  });
});
