// Real: the prompt builder, the price arithmetic and the resume helpers. No stand-ins.
import { describe, expect, it } from 'vitest';
import { ProviderError, type ProviderContext } from '../provider.ts';
import { defaultPrices, priceUsage } from './costs.ts';
import { resumeIdsFromCalls, resumeIdsOf } from './runs.ts';
import { buildPrompt, humanize } from './prompts.ts';

const build = (type: Parameters<typeof buildPrompt>[0]['type'], params: Record<string, unknown> = {}, prompt: string | null = null, context?: ProviderContext) =>
  buildPrompt({ type, params, prompt, context });

describe('buildPrompt', () => {
  it('turns product-shot parameters into sentences and always asks to keep the product', () => {
    const p = build('room_scene', { scene_type: 'modern_living_room', lighting: 'natural_daylight', camera_angle: 'eye_level', aspect_ratio: '16:9' });
    expect(p).toContain('placed naturally in the room');
    expect(p).toContain('Scene: modern living room.');
    expect(p).toContain('Lighting: natural daylight.');
    expect(p).toContain('Camera angle: eye level.');
    expect(p).toContain('Aspect ratio: 16:9.');
    expect(p).toContain('Keep the product exactly as in the reference image');
    expect(build('model_shot', { pose: 'walking' })).toContain('Pose: walking.');
    expect(build('lifestyle', { setting: 'kitchen' })).toContain('Setting: kitchen.');
  });

  it('adds the user prompt last as extra direction, on one line', () => {
    expect(build('lifestyle', {}, 'warm\n\ntones,   please')).toMatch(/Additional direction: warm tones, please$/);
  });

  it('uses the user prompt as the subject of generate and refuses an empty one', () => {
    expect(build('generate', { style: 'watercolor' }, 'a fox in snow')).toBe('a fox in snow Style: watercolor.');
    expect(() => build('generate', {}, '   ')).toThrow(ProviderError);
  });

  it('writes headshot choices: glasses, hair, backgrounds, and the trigger word of a trained subject', () => {
    const p = build('headshot', { glasses: 'yes', hair_color: 'blonde', hair_style: 'curly', backgrounds: ['office', 'city_street'], gender: 'mujer' });
    expect(p).toContain('The person wears glasses.');
    expect(p).toContain('Hair colour: blonde.');
    expect(p).toContain('Hair style: curly.');
    expect(p).toContain('Background: office, city street.');
    expect(p).toContain('The person is a woman.');
    expect(p).toContain('the person in the reference photos');

    const trained = build('headshot', { glasses: 'no', hair_color: 'default', hair_style: 'no-preference' }, null, { subject: { gender: 'male', triggerWord: 'zxq' } });
    expect(trained).toContain('the person zxq');
    expect(trained).toContain('does not wear glasses');
    expect(trained).not.toContain('Hair colour');
    expect(trained).not.toContain('Hair style');
  });

  it("uses a style's prompt for style conversion and a template's layout for ad creatives", () => {
    expect(build('style_conversion', {}, null, { style: { key: 'ghibli', prompt: 'Studio Ghibli watercolour' } })).toContain('in this style: Studio Ghibli watercolour');
    const ad = build('ad_creative', { headline: 'Summer sale', call_to_action: 'Shop now' }, null, { template: { id: 't', name: 'Split', size: null, width: 1200, height: 628, format: null, industry: null, style: null, campaignType: null, layout: { kind: 'hero', zones: 'product left, headline top right' } } });
    expect(ad).toContain('Headline text: Summer sale.');
    expect(ad).toContain('Call to action: Shop now.');
    expect(ad).toContain('Layout: kind: hero; zones: product left, headline top right.');
    expect(ad).toContain('Template: Split (1200x628).');
  });

  it('tells a style conversion with a reference image (decision 046) to take the last image\'s look', () => {
    expect(build('style_conversion', { reference_asset_id: '00000000-0000-4000-8000-000000000001' }, null, {})).toContain('The last image is a style reference');
    expect(build('style_conversion', {}, null, {})).not.toContain('style reference');
  });

  it('clips long values and the whole prompt', () => {
    expect(humanize('x'.repeat(500))).toHaveLength(200);
    expect(build('generate', {}, 'y'.repeat(10_000)).length).toBe(4000);
    expect(humanize({ nested: true })).toBeUndefined();
  });
});

describe('priceUsage', () => {
  it('prices reported tokens, falls back to per-image prices, and says when it does not know', () => {
    expect(priceUsage(defaultPrices.gemini['gemini-2.5-flash-image'], { textInputTokens: 300, imageInputTokens: 0, outputTokens: 1290 })).toEqual({ costMicros: 38_790, known: true });
    expect(priceUsage(defaultPrices.gemini['gemini-2.5-flash-image'], { images: 2 })).toEqual({ costMicros: 78_000, known: true });
    expect(priceUsage(defaultPrices.replicate.training, { seconds: 10 })).toEqual({ costMicros: 15_250, known: true });
    expect(priceUsage(undefined, { images: 1 })).toEqual({ costMicros: 0, known: false });
  });
});

describe('resume ids', () => {
  it('takes well-formed ids from the context and reads them back from recorded creates in order', () => {
    const input = { generationId: 'g', type: 'generate' as const, prompt: 'x', params: {}, numOutputs: 1, images: [], context: { resumeRequestIds: ['abc', 'bad id!', 'def'] } };
    expect(resumeIdsOf(input)).toEqual(['abc', 'def']);
    expect(
      resumeIdsFromCalls([
        { operation: 'create_prediction', status: 'ok', response: { request_id: 'p1' } },
        { operation: 'get_prediction', status: 'ok', response: { request_id: 'p1' } },
        { operation: 'submit', status: 'ok', response: { request_id: 'r2' } },
        { operation: 'create_prediction', status: 'error', response: {} },
      ]),
    ).toEqual(['p1', 'r2']);
  });
});
