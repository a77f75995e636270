/**
 * The Studio's parameter form reads each type's published JSON Schema (web/src/params-schema.ts):
 * its starting values and the `params` it builds must be what the server's own parameter schemas
 * accept, for every type `GET /generation-types` offers.
 * Real: app, database (PGlite or PostgreSQL), the published schemas, the server's zod schemas, a real
 * submit. Stand-in: the image provider (test/helpers/stand-in-provider.ts; no worker runs here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeSpecs } from '../../src/modules/generation/registry.ts';
import type { GenerationType } from '../../src/modules/generation/providers/provider.ts';
import { defaultValues, kindOf, properties, toParams, type JsonSchema } from '../../web/src/params-schema.ts';
import { call } from '../helpers/app.ts';
import { createGenerationTestApp, type GenerationTestApp } from '../helpers/generation.ts';
import { createStandInProvider } from '../helpers/stand-in-provider.ts';

let t: GenerationTestApp;
let types: Array<{ type: GenerationType; params_schema: JsonSchema }>;
beforeAll(async () => {
  t = await createGenerationTestApp({ generation: { providers: [createStandInProvider().provider] } });
  types = (await call(t.app, 'GET', '/api/v1/generation-types')).data;
});
afterAll(async () => t?.close());

const schemaOf = (type: string) => types.find((x) => x.type === type)!.params_schema;

describe('the Studio parameter form', () => {
  it('starts every type with values its server schema accepts (required text aside)', () => {
    expect(types.length).toBeGreaterThan(0);
    for (const { type, params_schema } of types) {
      const params = toParams(params_schema, defaultValues(params_schema));
      const parsed = typeSpecs.get(type)!.params.safeParse(params);
      const problems = parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
      // Only a required field without a default (the ad's headline) may be missing from a fresh form.
      expect(problems, type).toEqual(params_schema.required?.filter((r) => params_schema.properties?.[r]?.default === undefined) ?? []);
    }
  });

  it('reads enums, constants, numbers and lists, and turns the inputs into typed params', () => {
    const upscale = schemaOf('upscale');
    expect(kindOf(upscale.properties!.factor!)).toEqual({ kind: 'choice', options: [2, 4] });
    expect(toParams(upscale, { factor: '4' })).toEqual({ factor: 4 });

    const vectorize = schemaOf('vectorize');
    expect(defaultValues(vectorize)).toEqual({ mode: 'mono', colors: '4', threshold: '' });
    expect(kindOf(vectorize.properties!.threshold!)).toEqual({ kind: 'number', integer: true });
    // An empty optional number is left out (automatic threshold), a filled one is a number.
    expect(toParams(vectorize, { mode: 'posterize', colors: '6', threshold: '' })).toEqual({ mode: 'posterize', colors: 6 });
    expect(toParams(vectorize, { mode: 'mono', colors: '4', threshold: ' 120 ' })).toEqual({ mode: 'mono', colors: 4, threshold: 120 });

    const ad = schemaOf('ad_creative');
    expect(properties(ad).map(([n]) => n)).toEqual(['headline', 'body', 'cta', 'brand_colors', 'size']);
    const params = toParams(ad, { ...defaultValues(ad), headline: 'Summer sale', brand_colors: '#112233, #aabbcc' });
    expect(params).toEqual({ headline: 'Summer sale', brand_colors: ['#112233', '#aabbcc'], size: '1080x1080' });
    expect(typeSpecs.get('ad_creative')!.params.safeParse(params).success).toBe(true);
  });

  it('sends what the form builds in a real submit, and an out-of-range value comes back on its field', async () => {
    const u = await t.user(10);
    const src = await t.sourceAsset(u.token);
    const ok = await call(t.app, 'POST', '/api/v1/generations', {
      token: u.token,
      body: { type: 'vectorize', source_asset_ids: [src], params: toParams(schemaOf('vectorize'), { mode: 'posterize', colors: '3', threshold: '' }) },
    });
    expect(ok.statusCode, ok.body).toBe(202);
    expect(ok.data.params).toEqual({ mode: 'posterize', colors: 3 });

    const bad = await call(t.app, 'POST', '/api/v1/generations', {
      token: u.token,
      body: { type: 'vectorize', source_asset_ids: [src], params: toParams(schemaOf('vectorize'), { mode: 'mono', colors: '4', threshold: '300' }) },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.data.errors.map((e: { path: string }) => e.path)).toEqual(['params.threshold']);
  });
});
