/**
 * An ad made by the `local` provider from a template the admin wrote: the template's size, its
 * background colour, the product in its image box (decision 047).
 * Real: app, database (PGlite or PostgreSQL), admin template routes, the catalog's lookup, the
 * engine's worker, the local provider's renderer (sharp, Pango fonts), the plan's watermark rule.
 * Stand-ins: none; the product picture (with its own transparency, so no model runs) is made here.
 */
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/app.ts';
import { signUpAdmin } from '../helpers/accounts.ts';
import { createGenerationTestApp, type GenerationTestApp } from '../helpers/generation.ts';
import { upload } from '../helpers/media.ts';

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

/** A green bottle on a transparent background. */
async function bottle(token: string): Promise<string> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="500"><rect x="60" y="150" width="180" height="330" rx="20" fill="#1d7a4a"/><rect x="115" y="40" width="70" height="120" fill="#1d7a4a"/></svg>`;
  const res = await upload(g.app, token, { filename: 'bottle.png', contentType: 'image/png', data: await sharp(Buffer.from(svg)).png().toBuffer() });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id;
}

/** The share of a region's pixels within `tolerance` of a colour. */
async function share(png: Buffer, region: { left: number; top: number; width: number; height: number }, colour: number[], tolerance = 12): Promise<number> {
  const { data, info } = await sharp(png).extract(region).raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (let i = 0; i < data.length; i += info.channels) if ([0, 1, 2].every((c) => Math.abs(data[i + c]! - colour[c]!) <= tolerance)) n++;
  return n / (info.width * info.height);
}

describe("the local provider follows a template's layout", () => {
  it("renders an ad at the template's size, on its background, with the product in image_box", async () => {
    const template = await call(g.app, 'POST', '/api/v1/admin/templates', {
      token: admin,
      body: {
        name: 'Split launch 800',
        width: 800,
        height: 500,
        layout: {
          image_box: { x: 0.55, y: 0.1, w: 0.4, h: 0.8 },
          headline: { x: 0.05, y: 0.1, w: 0.45, h: 0.3 },
          body: { x: 0.05, y: 0.45, w: 0.45, h: 0.2 },
          cta: { x: 0.05, y: 0.72, w: 0.3, h: 0.12 },
          logo: { x: 0.05, y: 0.01, w: 0.1, h: 0.07 },
          align: 'left',
          colors: { background: '#0b3d91', text: '#ffffff', accent: '#ffd60a' },
          fonts: { headline: 'DejaVu Serif', body: 'DejaVu Sans' },
        },
      },
    });
    expect(template.statusCode, template.body).toBe(201);

    const u = await g.user(3);
    const source = await bottle(u.token);
    const res = await call(g.app, 'POST', '/api/v1/generations', {
      token: u.token,
      body: { type: 'ad_creative', provider: 'local', template_id: template.data.id, source_asset_ids: [source], params: { headline: 'Launch day', body: 'Out now everywhere', cta: 'Buy' } },
    });
    expect(res.statusCode, res.body).toBe(202);
    const done = await g.until(u.token, res.data.id, (x) => x.status !== 'pending' && x.status !== 'processing', 60_000);
    expect(done.status, JSON.stringify(done.error)).toBe('completed');
    expect(done.outputs[0]).toMatchObject({ width: 800, height: 500 });

    const file = await g.app.inject({ method: 'GET', url: done.outputs[0].url.replace(/^https?:\/\/[^/]+/, '') });
    expect(file.statusCode).toBe(200);
    const png = file.rawPayload;
    expect(await sharp(png).metadata()).toMatchObject({ width: 800, height: 500 });
    // Background: the strip between the text column and the image box, and below the button (a
    // plan's watermark may cross it, so most of it, not every pixel).
    expect(await share(png, { left: 410, top: 0, width: 30, height: 500 }, [11, 61, 145])).toBeGreaterThan(0.8);
    expect(await share(png, { left: 0, top: 440, width: 400, height: 60 }, [11, 61, 145])).toBeGreaterThan(0.8);
    // The product is in image_box (x 440–760, y 50–450), not at the built-in arrangements' places.
    expect(await share(png, { left: 440, top: 50, width: 320, height: 400 }, [29, 122, 74], 30)).toBeGreaterThan(0.2);
    // The call to action is a button in the accent colour.
    expect(await share(png, { left: 40, top: 360, width: 240, height: 60 }, [255, 214, 10], 30)).toBeGreaterThan(0.4);
  });
});
