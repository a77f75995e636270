/**
 * The published parameter schema is what is accepted (decision 044): values drawn from each type's
 * `params_schema` (GET /generation-types) either complete on the local provider or are refused by
 * POST /generations with 400 `validation_failed`, nothing held; never 202 and then `invalid_input`.
 * Types whose local run needs a prepared subject or the cut-out model (headshot, subject_training,
 * background_removal) are checked against the local provider's own submit-time check instead of run.
 *
 * Real: app, database (PGlite or PostgreSQL), queue and workers in this process, the local provider
 * as configured (sharp, potrace, the scene, room, style and ad renderers), the ledger.
 * Stand-ins: none; the source image is a transparent PNG made with sharp, so no cut-out model runs.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider } from '../../src/modules/generation/providers/local/index.ts';
import type { GenerationType } from '../../src/modules/generation/providers/provider.ts';
import { call, sqlRows } from '../helpers/app.ts';
import { createGenerationTestApp, type GenerationTestApp } from '../helpers/generation.ts';
import { upload } from '../helpers/media.ts';
import { objectSamples, seeded } from '../helpers/schema-samples.ts';

let g: GenerationTestApp;
beforeAll(async () => {
  g = await createGenerationTestApp({ generation: {} });
  // The free plan's conversion quota (2 a month, seed 003) would refuse most style_conversion
  // samples before the provider sees them; lifted here so every sample reaches the parameter check.
  await sqlRows(g, `update plans set conversion_limit = null, gallery_limit = null where name = 'free'`);
  await g.startWorkers();
});
afterAll(async () => g?.close());

/** A product on a transparent ground: its own alpha is the cut-out. */
async function transparentProduct(token: string): Promise<string> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120"><circle cx="60" cy="60" r="40" fill="#c0392b"/><rect x="40" y="20" width="40" height="20" fill="#1a1a1a"/></svg>`;
  const res = await upload(g.app, token, { filename: 'product.png', contentType: 'image/png', data: await sharp(Buffer.from(svg)).png().toBuffer() });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id;
}

const notRunHere = new Set<GenerationType>(['headshot', 'subject_training', 'background_removal']);
const rowsOf = async (userId: string) => Number((await sqlRows<{ n: number }>(g, `select count(*)::int as n from generations where user_id = '${userId}'`))[0]!.n);

describe('params published, params accepted', () => {
  it('the published ad_creative default is accepted and completes on local', async () => {
    const u = await g.user(50);
    const src = await transparentProduct(u.token);
    const res = await call(g.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'ad_creative', provider: 'local', source_asset_ids: [src], params: { headline: 'Hello' } } });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.data.params.brand_colors).toEqual([]);
    const done = await g.until(u.token, res.data.id, (x) => !['pending', 'processing'].includes(x.status), 60_000);
    expect(done.status, JSON.stringify(done.error)).toBe('completed');
  }, 90_000);

  it('says per provider what it delivers: on local, model_shot is a packshot without a model', async () => {
    const types = (await call(g.app, 'GET', '/api/v1/generation-types')).data as Array<{ type: string; description: string; providers: string[]; provider_details: Array<{ id: string; delivers: string }> }>;
    for (const x of types) expect(x.provider_details.map((d) => d.id)).toEqual(x.providers);
    const shot = types.find((x) => x.type === 'model_shot')!;
    expect(shot.provider_details.find((d) => d.id === 'local')!.delivers).toMatch(/packshot.*No model/);
    const upscale = types.find((x) => x.type === 'upscale')!;
    expect(upscale.provider_details.find((d) => d.id === 'local')!.delivers).toBe(upscale.description);
  });

  it('refuses at submit what the local provider cannot draw, naming the parameter, with nothing held', async () => {
    const u = await g.user(50);
    const src = await transparentProduct(u.token);
    const before = { balance: await g.balance(u.id), rows: await rowsOf(u.id) };
    const res = await call(g.app, 'POST', '/api/v1/generations', {
      token: u.token,
      body: { type: 'room_scene', provider: 'local', source_asset_ids: [src], params: { placement: 'wallpaper', pattern_repeat: 400, wall_width: 300 } },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.data.code).toBe('validation_failed');
    expect(JSON.stringify(res.data)).toContain('params.pattern_repeat');
    expect({ balance: await g.balance(u.id), rows: await rowsOf(u.id) }).toEqual(before);
    const blank = await call(g.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'ad_creative', provider: 'local', source_asset_ids: [src], params: { headline: '   ' } } });
    expect(blank.statusCode, blank.body).toBe(400);
    expect(JSON.stringify(blank.data)).toContain('params.headline');
    expect({ balance: await g.balance(u.id), rows: await rowsOf(u.id) }).toEqual(before);
  }, 60_000);

  it('every sample of every published schema completes on local or is refused at submit', async () => {
    const types = (await call(g.app, 'GET', '/api/v1/generation-types')).data as Array<{ type: GenerationType; params_schema: any; providers: string[]; styles?: string[]; needs: { prompt: boolean; style: boolean }; sources: { min: number } }>;
    const local = createLocalProvider();
    const u = await g.user(10_000);
    const src = await transparentProduct(u.token);
    const random = seeded(44);
    let ran = 0;
    for (const info of types.filter((x) => x.providers.includes('local'))) {
      for (const params of objectSamples(info.params_schema, random)) {
        const style = info.needs.style ? info.styles![ran % info.styles!.length] : undefined;
        if (notRunHere.has(info.type)) {
          // Not run here: the provider's own submit-time check must take every published value.
          expect(local.paramsProblems!(info.type, params, style ? { style: { key: style } } : {}), `${info.type} ${JSON.stringify(params)}`).toEqual([]);
          continue;
        }
        const before = { balance: await g.balance(u.id), rows: await rowsOf(u.id) };
        const body = { type: info.type, provider: 'local', params, ...(info.sources.min > 0 || info.type === 'ad_creative' ? { source_asset_ids: [src] } : {}), ...(style ? { style } : {}) };
        const res = await call(g.app, 'POST', '/api/v1/generations', { token: u.token, body });
        const label = `${info.type} ${JSON.stringify(params)}`;
        if (res.statusCode === 400) {
          expect(res.data.code, label).toBe('validation_failed');
          expect(JSON.stringify(res.data), label).toMatch(/params\.|"style"/);
          expect({ balance: await g.balance(u.id), rows: await rowsOf(u.id) }, label).toEqual(before);
          continue;
        }
        expect(res.statusCode, `${label}: ${res.body}`).toBe(202);
        const done = await g.until(u.token, res.data.id, (x) => !['pending', 'processing'].includes(x.status), 60_000);
        expect(done.status, `${label}: ${JSON.stringify(done.error)}`).toBe('completed');
        ran++;
      }
    }
    await local.close?.();
    expect(ran).toBeGreaterThan(20);
    await g.invariants();
  }, 300_000);
});
