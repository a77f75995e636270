// Real sharp on images made in the test; nothing is a stand-in.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../provider.ts';
import { MAX_OUTPUT_SIDE, upscale } from './upscale.ts';

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

describe('upscale', () => {
  it('doubles and quadruples the size and keeps regions where they were', async () => {
    const input = await checker(120, 80);
    for (const scale of [2, 4] as const) {
      const out = await upscale(input, { scale });
      const meta = await sharp(out.bytes).metadata();
      expect([meta.width, meta.height]).toEqual([120 * scale, 80 * scale]);
      expect(out.mimeType).toBe('image/jpeg');
      const { data, info } = await sharp(out.bytes).raw().toBuffer({ resolveWithObject: true });
      const px = (x: number, y: number): number[] => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
      const [r1, g1, b1] = px(info.width / 4, info.height / 4);
      expect(r1).toBeGreaterThan(180);
      expect(g1! + b1!).toBeLessThan(120);
      const [r2, , b2] = px((3 * info.width) / 4, (3 * info.height) / 4);
      expect(b2).toBeGreaterThan(180);
      expect(r2).toBeLessThan(80);
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
