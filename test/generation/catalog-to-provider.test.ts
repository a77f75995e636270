/**
 * The seam between the catalog and the external adapters, end to end: a style with a prompt and a
 * template with a layout are created through the admin API, generations that use them are submitted
 * with an external provider forced, and the outgoing request must carry the style's prompt and the
 * template's layout (decision 043). Each side had its own test; this one tests them together.
 *
 * Real: app, database (PGlite or PostgreSQL), admin and generation routes, the catalog's lookups, the
 * engine's worker and context building, the Gemini and OpenAI adapters with their prompt builder and
 * HTTP layer. Stand-in: a node:http server on 127.0.0.1 speaking Gemini's generateContent and
 * OpenAI's /v1/images/generations in their documented shapes (test/helpers/provider-stand-in.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/app.ts';
import { signUpAdmin } from '../helpers/accounts.ts';
import { createGenerationTestApp, type GenerationTestApp } from '../helpers/generation.ts';
import { pngBytes, sendJson, startStandIn, type StandIn } from '../helpers/provider-stand-in.ts';

let api: StandIn;
let t: GenerationTestApp;
let admin: string;
let png: Buffer;

beforeAll(async () => {
  api = await startStandIn();
  png = await pngBytes();
  t = await createGenerationTestApp({
    env: { ATELIER_PROVIDERS: 'gemini,openai', GEMINI_API_KEY: 'gemini-test-key', GEMINI_API_BASE: api.base, OPENAI_API_KEY: 'sk-test-key', OPENAI_API_BASE: api.base },
    generation: {},
  });
  const a = await signUpAdmin(t);
  admin = a.access_token;
  api.handle((req, res) => {
    if (req.path.startsWith('/v1/images/')) return sendJson(res, 200, { created: 1, data: [{ b64_json: png.toString('base64') }] });
    return sendJson(res, 200, {
      candidates: [{ content: { role: 'model', parts: [{ inlineData: { mimeType: 'image/png', data: png.toString('base64') } }] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 1290, totalTokenCount: 1300 },
      modelVersion: 'gemini-2.5-flash-image',
    });
  });
  await t.startWorkers();
});
afterAll(async () => {
  await t?.close();
  await api?.close();
});

const STYLE_PROMPT = 'Cobalt glaze under raking morning light, crackled ceramic texture';
const LAYOUT_ZONES = 'product on the left third, headline top right, call to action bottom right';

describe('catalog context reaches the external providers', () => {
  it("sends a style's prompt and a template's layout in the outgoing request", async () => {
    const style = await call(t.app, 'POST', '/api/v1/admin/styles', {
      token: admin,
      body: { key: 'cobalt_glaze', name: 'Cobalt glaze', kind: 'scene', studio: 'product-shots', prompt: STYLE_PROMPT },
    });
    expect(style.statusCode, style.body).toBe(201);
    const template = await call(t.app, 'POST', '/api/v1/admin/templates', {
      token: admin,
      body: { name: 'Split launch', width: 1200, height: 628, layout: { kind: 'hero', zones: LAYOUT_ZONES } },
    });
    expect(template.statusCode, template.body).toBe(201);

    const u = await t.user(100);
    const src = await t.sourceAsset(u.token);
    for (const provider of ['gemini', 'openai']) {
      const ad = await call(t.app, 'POST', '/api/v1/generations', {
        token: u.token,
        body: { type: 'ad_creative', provider, template_id: template.data.id, style: 'cobalt_glaze', source_asset_ids: [src], params: { headline: 'Launch day' } },
      });
      expect(ad.statusCode, ad.body).toBe(202);
      const shot = await call(t.app, 'POST', '/api/v1/generations', {
        token: u.token,
        body: { type: 'model_shot', provider, style: 'cobalt_glaze', source_asset_ids: [src] },
      });
      expect(shot.statusCode, shot.body).toBe(202);
      for (const id of [ad.data.id, shot.data.id]) {
        const done = await t.until(u.token, id, (g) => ['completed', 'failed'].includes(g.status));
        expect(done.status, JSON.stringify(done.error)).toBe('completed');
      }
    }

    // Gemini gets JSON with the image inline; OpenAI gets a multipart form with the image.
    const bodies = api.seen.map((r) => r.body.toString('utf8'));
    expect(bodies).toHaveLength(4);
    const gemini = bodies.filter((_b, i) => !api.seen[i]!.path.startsWith('/v1/images/'));
    const openai = bodies.filter((_b, i) => api.seen[i]!.path.startsWith('/v1/images/'));
    for (const sent of [gemini, openai]) {
      expect(sent).toHaveLength(2);
      for (const body of sent) expect(body).toContain(STYLE_PROMPT);
      expect(sent.filter((b) => b.includes(LAYOUT_ZONES))).toHaveLength(1);
      expect(sent.filter((b) => b.includes('Split launch'))).toHaveLength(1);
    }
    await t.invariants();
  }, 60_000);
});
