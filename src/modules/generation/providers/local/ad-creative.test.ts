// Real sharp rendering (SVG shapes, Pango text with the machine's fonts) of a product drawn in the test.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { variantRandom } from './common.ts';
import { renderAd, type AdParams } from './ad-creative.ts';
import { toLayer, type Layer } from './layers.ts';

const bottle = (): Promise<Layer> =>
  toLayer(sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="300" height="500"><rect x="60" y="150" width="180" height="330" rx="20" fill="#1d7a4a"/><rect x="115" y="40" width="70" height="120" fill="#1d7a4a"/></svg>`)).ensureAlpha());

const params = (p: Partial<AdParams> = {}): AdParams => ({
  headline: 'Fresh from the valley',
  body: 'Cold-pressed, small batches.',
  cta: 'Shop now',
  colors: { primary: '#e4572e', background: '#ffffff', text: '#111111' },
  ...p,
});

async function count(png: Buffer, box: { left: number; top: number; width: number; height: number }, test: (px: number[]) => boolean): Promise<number> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (let y = Math.round(box.top); y < Math.min(info.height, box.top + box.height); y++) {
    for (let x = Math.round(box.left); x < Math.min(info.width, box.left + box.width); x++) {
      const i = (y * info.width + x) * info.channels;
      if (test([data[i]!, data[i + 1]!, data[i + 2]!])) n++;
    }
  }
  return n;
}

const dark = (px: number[]): boolean => px.every((v) => v < 70);
const near = (c: number[], tolerance = 30) => (px: number[]): boolean => px.every((v, i) => Math.abs(v - c[i]!) <= tolerance);

describe('renderAd', () => {
  it('sets the headline, body and call to action in their boxes, in the brand colours, at the template size', async () => {
    const { png, layout } = await renderAd(await bottle(), params({ width: 1200, height: 628, layout: 'hero' }), variantRandom('a', 0));
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height]).toEqual([1200, 628]);
    // Text is really drawn: dark glyph pixels fill a fair share of the headline box.
    const headlineInk = await count(png, layout.headline, dark);
    expect(headlineInk).toBeGreaterThan(layout.headline.width * layout.headline.height * 0.04);
    expect(await count(png, layout.body!, dark)).toBeGreaterThan(200);
    // The button is the primary colour, with light lettering on it.
    const cta = layout.cta!;
    expect(await count(png, cta, near([228, 87, 46]))).toBeGreaterThan(cta.width * cta.height * 0.4);
    expect(await count(png, cta, (px) => px.every((v) => v > 220))).toBeGreaterThan(50);
    // The product sits in its box, in its own colour.
    expect(await count(png, layout.product, near([29, 122, 74]))).toBeGreaterThan(layout.product.width * layout.product.height * 0.3);
  });

  it('fits a long headline into its box instead of overflowing it', async () => {
    const long = 'An unusually long headline that keeps going well past what one line could ever hold in a box like this one';
    const { png, layout } = await renderAd(await bottle(), params({ headline: long, body: '', cta: '', layout: 'stacked', aspectRatio: '9:16' }), variantRandom('a', 1));
    expect(layout.body).toBeNull();
    expect(layout.cta).toBeNull();
    const inside = await count(png, layout.headline, dark);
    const below = await count(png, { left: 0, top: layout.headline.top + layout.headline.height, width: layout.width, height: layout.height - layout.headline.top - layout.headline.height }, dark);
    expect(inside).toBeGreaterThan(500);
    expect(below).toBe(0);
  });

  it('renders markup characters as text', async () => {
    const { png, layout } = await renderAd(await bottle(), params({ headline: '<b>50% off</b> & <script>free</script>' }), variantRandom('a', 2));
    expect(await count(png, layout.headline, dark)).toBeGreaterThan(300);
  });

  it('refuses a missing headline, a malformed colour and an impossible size with invalid_input', async () => {
    await expect(renderAd(await bottle(), params({ headline: '  ' }), variantRandom('a', 0))).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(renderAd(await bottle(), params({ colors: { primary: 'orange' } }), variantRandom('a', 0))).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(renderAd(await bottle(), params({ width: 50, height: 9000 }), variantRandom('a', 0))).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
