/**
 * Templates without a preview of their own are shown by one the local renderer draws from their
 * layout: `preview_url` points at it, it is the template's shape in its colours, it is cached by
 * what it is drawn from (ETag, 304), and an admin's edit draws a new one.
 * Real: app, database (PGlite or PostgreSQL), admin template routes, the catalog's lookup, the local
 * ad renderer (sharp, Pango fonts). Stand-ins: none.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpAdmin } from '../helpers/accounts.ts';
import { call, createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await createTestApp();
  admin = (await signUpAdmin(t)).access_token;
});
afterAll(async () => t?.close());

const layout = (background: string) => ({
  image_box: { x: 0.55, y: 0.1, w: 0.4, h: 0.8 },
  headline: { x: 0.05, y: 0.1, w: 0.45, h: 0.3 },
  cta: { x: 0.05, y: 0.72, w: 0.3, h: 0.12 },
  align: 'left',
  colors: { background, text: '#ffffff', accent: '#ffd60a' },
});

/** The colour of the pixel at (x, y) of a PNG. */
async function pixel(png: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

describe('drawn template previews', () => {
  it("draws a template without a preview from its layout, cached by what it is drawn from", async () => {
    const created = await call(t.app, 'POST', '/api/v1/admin/templates', { token: admin, body: { name: 'Wide launch', width: 800, height: 400, layout: layout('#0b3d91') } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.data.id as string;
    const listed = await call(t.app, 'GET', `/api/v1/templates/${id}`);
    expect(listed.data.preview_url).toBe(`/api/v1/templates/${id}/preview.png`);

    const first = await t.app.inject({ method: 'GET', url: listed.data.preview_url });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('image/png');
    const meta = await sharp(first.rawPayload).metadata();
    expect([meta.width, meta.height]).toEqual([480, 240]); // the template's shape, its long side 480
    expect(await pixel(first.rawPayload, 200, 235)).toEqual([11, 61, 145]); // its background, below the copy

    const etag = first.headers.etag as string;
    const again = await t.app.inject({ method: 'GET', url: listed.data.preview_url, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);

    // An admin's edit of the layout draws a new picture, under a new tag.
    expect((await call(t.app, 'PATCH', `/api/v1/admin/templates/${id}`, { token: admin, body: { layout: layout('#8a1c1c') } })).statusCode).toBe(200);
    const edited = await t.app.inject({ method: 'GET', url: listed.data.preview_url, headers: { 'if-none-match': etag } });
    expect(edited.statusCode).toBe(200);
    expect(edited.headers.etag).not.toBe(etag);
    expect(await pixel(edited.rawPayload, 200, 235)).toEqual([138, 28, 28]);
  });

  it('keeps a preview of its own, and answers 404 for an unknown template', async () => {
    const own = await call(t.app, 'POST', '/api/v1/admin/templates', { token: admin, body: { name: 'Own preview', layout: layout('#111111'), preview_url: 'https://cdn.example.com/own.png' } });
    expect(own.statusCode, own.body).toBe(201);
    expect((await call(t.app, 'GET', `/api/v1/templates/${own.data.id}`)).data.preview_url).toBe('https://cdn.example.com/own.png');
    const missing = await call(t.app, 'GET', `/api/v1/templates/${crypto.randomUUID()}/preview.png`);
    expect(missing.statusCode).toBe(404);
    expect(missing.data.code).toBe('not_found');
  });
});
