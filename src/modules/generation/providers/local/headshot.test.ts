// Real sharp compositing of a subject cut-out (drawn in the test) onto rendered studio backdrops.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { variantRandom } from './common.ts';
import { composeHeadshot } from './headshot.ts';
import { toLayer, type Layer } from './layers.ts';

const subject = (): Promise<Layer> =>
  toLayer(
    sharp(
      Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="400"><circle cx="150" cy="120" r="80" fill="#e0b090"/><path d="M20 400 Q 20 200 150 200 Q 280 200 280 400 Z" fill="#203050"/></svg>`,
      ),
    ).ensureAlpha(),
  );

async function reader(jpeg: Buffer): Promise<{ at(x: number, y: number): number[]; width: number; height: number }> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  return { at: (x, y) => [...data.subarray((Math.round(y) * info.width + Math.round(x)) * 3, (Math.round(y) * info.width + Math.round(x)) * 3 + 3)], width: info.width, height: info.height };
}

const close = (a: number[], b: number[], tolerance: number): boolean => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);

describe('composeHeadshot', () => {
  it('puts the subject bottom-aligned on a solid colour backdrop of the requested aspect ratio', async () => {
    const out = await composeHeadshot(await subject(), { background: '#2a9d8f', aspectRatio: '9:16' }, variantRandom('h', 0));
    const img = await reader(out.jpeg);
    expect(Math.abs(img.width / img.height - 9 / 16)).toBeLessThan(0.01);
    expect(out.subjectBox.top + out.subjectBox.height).toBe(img.height);
    // It fills the frame: most of the height, or (a wide subject on a tall canvas) most of the width.
    expect(Math.max(out.subjectBox.height / img.height, out.subjectBox.width / img.width)).toBeGreaterThan(0.85);
    // Backdrop colour at the top corners, the face's colour in the face, the jacket below.
    expect(close(img.at(6, 6), [42, 157, 143], 40)).toBe(true);
    const face = img.at(out.subjectBox.left + out.subjectBox.width / 2, out.subjectBox.top + out.subjectBox.height * 0.3);
    expect(close(face, [224, 176, 144], 25)).toBe(true);
    const jacket = img.at(out.subjectBox.left + out.subjectBox.width / 2, img.height - 10);
    expect(close(jacket, [32, 48, 80], 25)).toBe(true);
  });

  it('renders gradients and named backdrops differently', async () => {
    const grad = await reader((await composeHeadshot(await subject(), { background: 'gradient:#ffffff,#000000', aspectRatio: '1:1' }, variantRandom('h', 1))).jpeg);
    // Radial gradient: light near the top centre-ish, dark in a bottom corner.
    expect(grad.at(grad.width * 0.1, grad.height * 0.05)[0]!).toBeGreaterThan(grad.at(4, grad.height - 4)[0]! + 60);
    const black = await reader((await composeHeadshot(await subject(), { background: 'black', aspectRatio: '1:1' }, variantRandom('h', 1))).jpeg);
    const white = await reader((await composeHeadshot(await subject(), { background: 'white', aspectRatio: '1:1' }, variantRandom('h', 1))).jpeg);
    expect(white.at(10, 10)[0]! - black.at(10, 10)[0]!).toBeGreaterThan(150);
  });

  it('refuses an unknown backdrop and an empty cut-out with invalid_input', async () => {
    await expect(composeHeadshot(await subject(), { background: 'moon_base', aspectRatio: '1:1' }, variantRandom('h', 0))).rejects.toMatchObject({ code: 'invalid_input' });
    const empty = await toLayer(sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }));
    await expect(composeHeadshot(empty, { background: 'white', aspectRatio: '1:1' }, variantRandom('h', 0))).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
