// Real sharp pipelines on a photo composed in the test; nothing is a stand-in.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { variantRandom } from './common.ts';
import { applyStyle, posterise, quantise, styleFor, styleNames } from './styles.ts';
import { productPhoto } from './testing/synthetic.ts';

async function stats(jpeg: Buffer): Promise<{ saturation: number; mean: number[]; edgeDark: number }> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  let sat = 0;
  const mean = [0, 0, 0];
  for (let i = 0; i < data.length; i += info.channels) {
    const r = data[i]!;
    const g = data[i + info.channels - 2] ?? r;
    const b = data[i + info.channels - 1] ?? r;
    sat += Math.max(r, g, b) - Math.min(r, g, b);
    mean[0]! += r;
    mean[1]! += g;
    mean[2]! += b;
  }
  const n = data.length / info.channels;
  return { saturation: sat / n, mean: mean.map((m) => m / n), edgeDark: 0 };
}

/** Distinct colours, counted on a 64×48 nearest-neighbour sample (so resampling adds none). */
async function distinctColours(jpeg: Buffer): Promise<number> {
  const small = await sharp(jpeg).resize(64, 48, { kernel: 'nearest' }).raw().toBuffer();
  const set = new Set<number>();
  for (let i = 0; i < small.length; i += 3) set.add(((small[i]! >> 4) << 8) | ((small[i + 1]! >> 4) << 4) | (small[i + 2]! >> 4));
  return set.size;
}

describe('style_conversion looks', () => {
  it('each look keeps the size and changes the picture in its own way', async () => {
    const photo = await productPhoto('gradient', 640, 480, 2);
    const original = await stats(photo.jpeg);
    const results = new Map<string, Awaited<ReturnType<typeof stats>>>();
    for (const style of styleNames) {
      const out = await applyStyle(photo.jpeg, style, variantRandom('s', 0));
      expect([out.width, out.height]).toEqual([640, 480]);
      results.set(style, await stats(out.jpeg));
    }
    // Sketch and noir are grey; vintage is warm (red over blue) and less saturated than the photo.
    expect(results.get('sketch')!.saturation).toBeLessThan(3);
    expect(results.get('noir')!.saturation).toBeLessThan(3);
    expect(results.get('vintage')!.mean[0]!).toBeGreaterThan(results.get('vintage')!.mean[2]! + 15);
    expect(results.get('vintage')!.saturation).toBeLessThan(original.saturation + 30);
    // Pop art is far more saturated than the photo.
    expect(results.get('pop_art')!.saturation).toBeGreaterThan(original.saturation * 1.5);
    // The sketch is mostly paper-light.
    expect(results.get('sketch')!.mean[0]!).toBeGreaterThan(170);
  });

  it('posterising keeps n colours (k-means) or n levels (lookup table); pop art to a grid of four tinted panels', async () => {
    const photo = await productPhoto('gradient', 640, 480, 5);
    const rgb = await sharp(photo.jpeg).raw().toBuffer();
    const cel = quantise(rgb, 7);
    const colours = new Set<number>();
    for (let i = 0; i < cel.length; i += 3) colours.add((cel[i]! << 16) | (cel[i + 1]! << 8) | cel[i + 2]!);
    expect(colours.size).toBeLessThanOrEqual(7);
    expect(await distinctColours(photo.jpeg)).toBeGreaterThan(20);
    const levels = new Set(posterise(rgb, 3));
    expect([...levels].sort((a, b) => a - b)).toEqual([0, 128, 255]);
    const pop = await applyStyle(photo.jpeg, 'pop_art', variantRandom('s', 1));
    const { data } = await sharp(pop.jpeg).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number): number[] => [...data.subarray((y * 640 + x) * 3, (y * 640 + x) * 3 + 3)];
    // The same spot of the picture (top-left of each panel) is inked differently in each panel.
    const corners = [at(8, 8), at(328, 8), at(8, 248), at(328, 248)].map((c) => c.join(','));
    expect(new Set(corners).size).toBeGreaterThanOrEqual(3);
  });

  it('sketch draws dark outlines where the photo has edges', async () => {
    const photo = await productPhoto('plain', 640, 480, 3);
    const out = await applyStyle(photo.jpeg, 'sketch', variantRandom('s', 2));
    const grey = await sharp(out.jpeg).greyscale().raw().toBuffer();
    // Row through the bottle's body: its left outline (≈ x 238) is darker than open paper (x 60).
    const row = 400;
    const min = Math.min(...[...grey.subarray(row * 640 + 226, row * 640 + 250)]);
    expect(min).toBeLessThan(grey[row * 640 + 60]! - 60);
  });

  it('knows aliases and refuses unknown styles with invalid_input', () => {
    expect(styleFor('Watercolour')).toBe('watercolor');
    expect(styleFor('pop-art')).toBe('pop_art');
    expect(styleFor('posterized cartoon')).toBe('cartoon');
    expect(() => styleFor('cubism')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
