// Real sharp and the real learned upscaler (its worker, onnxruntime and the packaged weights) on
// images made in the test and on a crop of a real photo (a face-api sample, testing/portraits.ts).
// Stand-ins: a model that counts its runs or refuses them, to see which path a size takes; an
// empty folder as a model that cannot load.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../provider.ts';
import { createSuperResolution, type SuperResolution } from './super-resolution.ts';
import { portrait } from './testing/portraits.ts';
import { psnr } from './testing/image-quality.ts';
import { MAX_OUTPUT_SIDE, MODEL_MAX_INPUT_PIXELS, upscale, upscaleMethod, upscaleVariants } from './upscale.ts';

const model = createSuperResolution({ intraOpThreads: 1 });
afterAll(() => model.close());

/** A stand-in model that enlarges by repeating pixels and counts its runs. */
function countingModel(): SuperResolution & { runs: number } {
  const m = {
    runs: 0,
    async enlarge(rgb: Uint8Array, width: number, height: number, scale: 2 | 4) {
      m.runs++;
      return sharp(rgb, { raw: { width, height, channels: 3 } }).resize(width * scale, height * scale, { kernel: 'nearest' }).raw().toBuffer();
    },
    warm: async () => undefined,
    close: async () => undefined,
  };
  return m;
}

async function checker(width: number, height: number, alpha = false): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="${alpha ? 'none' : '#ffffff'}"/>
    <rect x="0" y="0" width="${width / 2}" height="${height / 2}" fill="#d02020"/>
    <rect x="${width / 2}" y="${height / 2}" width="${width / 2}" height="${height / 2}" fill="#2040d0"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Gradient energy across the vertical edge in one row of a square greyscale image. */
function rowEnergy(buf: Buffer, side: number, row: number): number {
  let e = 0;
  for (let x = 1; x < side; x++) e += Math.abs(buf[row * side + x]! - buf[row * side + x - 1]!) ** 2;
  return e;
}

/** The checker's size times `scale` as a JPEG, red still top-left and blue bottom-right. */
async function expectCheckerEnlarged(out: { bytes: Buffer; mimeType: string }, width: number, height: number, scale: number): Promise<void> {
  expect(out.mimeType).toBe('image/jpeg');
  const { data, info } = await sharp(out.bytes).raw().toBuffer({ resolveWithObject: true });
  expect([info.width, info.height]).toEqual([width * scale, height * scale]);
  const px = (x: number, y: number): number[] => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
  const [r1, g1, b1] = px(info.width / 4, info.height / 4);
  expect(r1).toBeGreaterThan(180);
  expect(g1! + b1!).toBeLessThan(120);
  const [r2, , b2] = px((3 * info.width) / 4, (3 * info.height) / 4);
  expect(b2).toBeGreaterThan(180);
  expect(r2).toBeLessThan(80);
}

describe('upscale', () => {
  it('doubles and quadruples the size and keeps regions where they were', async () => {
    const input = await checker(120, 80);
    for (const scale of [2, 4] as const) {
      const out = await upscale(input, { scale });
      expect(out.method).toBe('lanczos');
      await expectCheckerEnlarged(out, 120, 80, scale);
    }
  });

  it('keeps the edges sharper than a plain bilinear enlargement', async () => {
    const input = await checker(64, 64);
    const ours = await sharp((await upscale(input, { scale: 4, format: 'png' })).bytes).greyscale().raw().toBuffer();
    const soft = await sharp(input).resize(256, 256, { kernel: 'linear' }).greyscale().raw().toBuffer();
    expect(rowEnergy(ours, 256, 64)).toBeGreaterThan(rowEnergy(soft, 256, 64));
  });

  it('at 2× too (sharpened before the enlargement), keeps edges sharper than Lanczos-3 alone', async () => {
    const input = await checker(64, 64);
    const ours = await sharp((await upscale(input, { scale: 2, format: 'png' })).bytes).greyscale().raw().toBuffer();
    const plain = await sharp(input).resize(128, 128, { kernel: 'lanczos3' }).greyscale().raw().toBuffer();
    expect(rowEnergy(ours, 128, 32)).toBeGreaterThan(rowEnergy(plain, 128, 32));
  });

  it('keeps transparency as PNG', async () => {
    const out = await upscale(await checker(50, 50, true), { scale: 2 });
    expect(out.mimeType).toBe('image/png');
    const { data, info } = await sharp(out.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    expect(data[(10 * 100 + 90) * 4 + 3]).toBe(0); // top-right quadrant was transparent
    expect(data[(10 * 100 + 10) * 4 + 3]).toBe(255);
  });

  it('refuses an output over the cap with invalid_input', async () => {
    const input = await sharp({ create: { width: MAX_OUTPUT_SIDE / 4 + 2, height: 16, channels: 3, background: '#808080' } }).png().toBuffer();
    const err = await upscale(input, { scale: 4 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).code).toBe('invalid_input');
    expect((err as ProviderError).message).toMatch(/over the limit/);
  });

  it('refuses bytes that are not an image', async () => {
    const err = await upscale(Buffer.from('not an image'), { scale: 2 }).catch((e: unknown) => e);
    expect((err as ProviderError).code).toBe('invalid_input');
  });
});

describe('upscale with the learned model', () => {
  it('takes the model up to MODEL_MAX_INPUT_PIXELS of input and Lanczos above, or without a model', () => {
    expect(upscaleMethod(1024, 1024, 2, true)).toBe('model');
    expect(upscaleMethod(1024, 1024, 4, true)).toBe('lanczos');
    expect(upscaleMethod(768, 768, 4, true)).toBe('model');
    expect(upscaleMethod(MODEL_MAX_INPUT_PIXELS[2] + 1, 1, 2, true)).toBe('lanczos');
    expect(upscaleMethod(64, 64, 2, false)).toBe('lanczos');
  });

  it('doubles and quadruples the size and keeps regions where they were', async () => {
    const input = await checker(120, 80);
    for (const scale of [2, 4] as const) {
      const out = await upscale(input, { scale }, { model });
      expect(out.method).toBe('model');
      await expectCheckerEnlarged(out, 120, 80, scale);
    }
  });

  it('is closer to the original than Lanczos + sharpening on a down-then-up pair of a real photo', async () => {
    const original = await sharp(await portrait('ava')).resize(160, 200, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const { width, height } = original.info;
    const small = await sharp(original.data, { raw: { width, height, channels: 3 } }).resize(width / 2, height / 2, { kernel: 'cubic' }).png().toBuffer();
    const score = async (opts: { model?: SuperResolution }): Promise<number> => {
      const out = await sharp((await upscale(small, { scale: 2, format: 'png' }, opts)).bytes).removeAlpha().raw().toBuffer();
      return psnr({ data: out, width, height }, { data: original.data, width, height }, 4);
    };
    const lanczos = await score({});
    const learned = await score({ model });
    expect(learned).toBeGreaterThan(lanczos + 1);
  });

  it('keeps transparency as PNG, the alpha enlarged beside the model', async () => {
    const out = await upscale(await checker(50, 50, true), { scale: 2 }, { model });
    expect(out.method).toBe('model');
    expect(out.mimeType).toBe('image/png');
    const { data, info } = await sharp(out.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    expect(data[(10 * 100 + 90) * 4 + 3]).toBe(0);
    expect(data[(10 * 100 + 10) * 4 + 3]).toBe(255);
  });

  it('runs the model once for all variants, and variants differ', async () => {
    const counting = countingModel();
    const outs = await upscaleVariants(await checker(40, 40), { scale: 2, format: 'png' }, [1, 1.6, 2.2], { model: counting });
    expect(counting.runs).toBe(1);
    expect(outs.map((o) => o.method)).toEqual(['model', 'model', 'model']);
    expect(outs[0]!.bytes.equals(outs[1]!.bytes)).toBe(false);
  });

  it('gives a model that cannot load as provider_error', async () => {
    const broken = createSuperResolution({ intraOpThreads: 1, modelDir: await mkdtemp(join(tmpdir(), 'no-model-')) });
    try {
      const err = await upscale(await checker(40, 40), { scale: 2 }, { model: broken }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect((err as ProviderError).code).toBe('provider_error');
    } finally {
      await broken.close();
    }
  });
});

