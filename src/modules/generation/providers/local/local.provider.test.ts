// The local provider end to end on images made in the test: real sharp, potrace, the real ISNet
// model (background removal) and the real upscaling model; the RunContext is a plain object that
// records calls, and an empty folder stands in for an upscaling model that cannot load.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../platform/logger.ts';
import { ProviderError, type GenerationType, type ProviderCallRecord, type ProviderInput, type RunContext } from '../provider.ts';
import { createLocalProvider } from './local.provider.ts';
import { createSuperResolution } from './super-resolution.ts';
import { maskIoU, productPhoto } from './testing/synthetic.ts';

const provider = createLocalProvider();
afterAll(() => provider.close?.());

function context(signal = new AbortController().signal): RunContext & { calls: ProviderCallRecord[] } {
  const calls: ProviderCallRecord[] = [];
  return { signal, deadline: new Date(Date.now() + 600_000), log: createLogger('silent'), recordCall: (c) => calls.push(c), calls };
}

const cutoutPng = (): Promise<Buffer> =>
  sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="200" height="300"><rect x="40" y="30" width="120" height="240" rx="10" fill="#d02020"/></svg>`)).png().toBuffer();

async function input(type: GenerationType, params: Record<string, unknown>, bytes: Buffer, numOutputs = 1, role = 'source'): Promise<ProviderInput> {
  const meta = await sharp(bytes).metadata();
  return { generationId: 'gen-1', type, prompt: null, params, numOutputs, images: [{ role, assetId: 'a1', mimeType: `image/${meta.format}`, width: meta.width, height: meta.height, bytes }] };
}

describe('local provider', () => {
  it('offers the image types it can do and subject preparation, not text-to-image', async () => {
    for (const t of ['upscale', 'background_removal', 'vectorize', 'model_shot', 'lifestyle', 'room_scene', 'headshot', 'style_conversion', 'ad_creative'] as const) expect(provider.supports(t)).toBe(true);
    expect(provider.supports('generate')).toBe(false);
    expect(provider.supports('subject_training')).toBe(true);
    const ctx = context();
    const err = await provider.run({ generationId: 'g', type: 'generate', prompt: 'a cat', params: {}, numOutputs: 1, images: [] }, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).code).toBe('provider_unavailable');
    expect((err as ProviderError).message).toMatch(/external provider/);
    expect(ctx.calls[0]).toMatchObject({ provider: 'local', operation: 'generate', status: 'error' });
  });

  it('upscales with distinct variants and records the call', async () => {
    const ctx = context();
    const result = await provider.run(await input('upscale', { scale: 4 }, await cutoutPng(), 2), ctx);
    expect(result.outputs).toHaveLength(2);
    expect(result.costMicros).toBe(0);
    for (const o of result.outputs) expect(await sharp(o.bytes).metadata()).toMatchObject({ width: 800, height: 1200 });
    expect(result.outputs[0]!.bytes.equals(result.outputs[1]!.bytes)).toBe(false);
    expect(result.model).toBe('local/esrgan-slim');
    expect(ctx.calls).toEqual([expect.objectContaining({ provider: 'local', operation: 'upscale', status: 'ok', costMicros: 0 })]);
  });

  it('fails an upscale with provider_error when the upscaling model cannot load, and records it', async () => {
    const model = createSuperResolution({ intraOpThreads: 1, modelDir: await mkdtemp(join(tmpdir(), 'no-model-')) });
    const broken = createLocalProvider({ superResolution: model });
    try {
      const ctx = context();
      const err = await broken.run(await input('upscale', { factor: 2 }, await cutoutPng()), ctx).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect((err as ProviderError).code).toBe('provider_error');
      expect((err as ProviderError).message).toMatch(/upscaling model failed to load/);
      expect(ctx.calls).toEqual([expect.objectContaining({ operation: 'upscale', status: 'error', response: { code: 'provider_error' } })]);
    } finally {
      await broken.close?.();
      await model.close();
    }
  });

  it('vectorises to SVG', async () => {
    const result = await provider.run(await input('vectorize', { mode: 'color', colors: 3 }, await cutoutPng()), context());
    expect(result.outputs[0]!.mimeType).toBe('image/svg+xml');
    expect(result.outputs[0]!.bytes.toString()).toMatch(/^<svg[^>]*>.*<path /s);
  });

  it('composes a model shot from a product that already has transparency, same bytes for the same generation', async () => {
    const png = await cutoutPng();
    const a = await provider.run(await input('model_shot', { aspect_ratio: '16:9', lighting: 'golden_hour' }, png, 2, 'product'), context());
    const b = await provider.run(await input('model_shot', { aspect_ratio: '16:9', lighting: 'golden_hour' }, png, 1, 'product'), context());
    expect(a.model).toBe('local/compositor');
    expect(a.outputs[0]!.bytes.equals(b.outputs[0]!.bytes)).toBe(true);
    expect(a.outputs[0]!.bytes.equals(a.outputs[1]!.bytes)).toBe(false);
    const meta = await sharp(a.outputs[0]!.bytes).metadata();
    expect(meta.width! / meta.height!).toBeCloseTo(16 / 9, 1);
  });

  it('cycles headshot backgrounds, reads a wallpaper repeat from the product and a style from the context', async () => {
    const png = await cutoutPng();
    const heads = await provider.run(await input('headshot', { backgrounds: ['#ffffff', '#000000'] }, png, 2, 'subject'), context());
    const corner = async (b: Buffer): Promise<number> => (await sharp(b).extract({ left: 2, top: 2, width: 1, height: 1 }).raw().toBuffer())[0]!;
    expect((await corner(heads.outputs[0]!.bytes)) - (await corner(heads.outputs[1]!.bytes))).toBeGreaterThan(150);

    const room = await provider.run({ ...(await input('room_scene', {}, png, 1, 'product')), context: { product: { id: 'p', name: 'Wallpaper', customFields: { pattern_repeat: '64cm' } } } }, context());
    expect(room.outputs[0]!.mimeType).toBe('image/jpeg');

    const styled = await provider.run({ ...(await input('style_conversion', {}, png)), context: { style: { key: 'noir' } } }, context());
    expect(styled.model).toBe('local/style-noir');
    await expect(provider.run(await input('style_conversion', {}, png), context())).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('renders an ad from params and the template size in the context', async () => {
    const result = await provider.run(
      { ...(await input('ad_creative', { headline: 'Big news', cta: 'Buy', brand_colors: ['#112233', '#ffcc00'] }, await cutoutPng(), 1, 'product')), context: { template: { id: 't', name: 'Portrait ad', size: null, width: 1080, height: 1350, format: null, industry: null, style: null, campaignType: null, layout: {} } } },
      context(),
    );
    expect(await sharp(result.outputs[0]!.bytes).metadata()).toMatchObject({ width: 1080, height: 1350, format: 'png' });
  });

  it('answers invalid_input for bad parameters, a missing image and unreadable bytes', async () => {
    await expect(provider.run(await input('upscale', { scale: 3 }, await cutoutPng()), context())).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(provider.run({ generationId: 'g', type: 'upscale', prompt: null, params: {}, numOutputs: 1, images: [] }, context())).rejects.toMatchObject({ code: 'invalid_input' });
    const broken = { ...(await input('upscale', {}, await cutoutPng())), images: [{ role: 'source', assetId: 'x', mimeType: 'image/png', width: 1, height: 1, bytes: Buffer.from('garbage') }] };
    await expect(provider.run(broken, context())).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('stops at once when the run is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(provider.run(await input('style_conversion', { style: 'sketch' }, await cutoutPng(), 4), context(controller.signal))).rejects.toMatchObject({ code: 'cancelled' });
    const timedOut = AbortSignal.timeout(1);
    await new Promise((r) => setTimeout(r, 20));
    await expect(provider.run(await input('upscale', {}, await cutoutPng()), context(timedOut))).rejects.toMatchObject({ code: 'timeout' });
  });

  it('removes a background with the model: transparent PNG first, then the cut-out on backdrops', { timeout: 180_000 }, async () => {
    const photo = await productPhoto('textured', 640, 480, 9);
    const result = await provider.run(await input('background_removal', {}, photo.jpeg, 2), context());
    expect(result.model).toBe('local/isnet-medium');
    const first = await sharp(result.outputs[0]!.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(first.info.channels).toBe(4);
    const alpha = Buffer.alloc(640 * 480);
    for (let i = 0; i < alpha.length; i++) alpha[i] = first.data[i * 4 + 3]!;
    expect(maskIoU(alpha, photo.truth)).toBeGreaterThanOrEqual(0.9);
    const second = await sharp(result.outputs[1]!.bytes).raw().toBuffer();
    expect([...second.subarray(0, 3)]).toEqual([255, 255, 255]); // first extra backdrop: white
  });
});
