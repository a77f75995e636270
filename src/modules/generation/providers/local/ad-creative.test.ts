// Real: sharp rendering (SVG shapes, Pango text with the machine's DejaVu fonts, right-to-left
// shaping), the template-layout reader. Stand-in: none; the product is a bottle drawn in the test.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { variantRandom } from './common.ts';
import { renderAd, type AdParams } from './ad-creative.ts';
import { toLayer, type Layer } from './layers.ts';
import { adTemplateLayout } from './ad-template-layout.ts';

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

  /** A square template as the ad-creatives preset writes one (fractions of the canvas). */
  const splitTemplate = adTemplateLayout({
    image_box: { x: 0.5, y: 0.08, w: 0.46, h: 0.84 },
    headline: { x: 0.05, y: 0.12, w: 0.42, h: 0.3 },
    body: { x: 0.05, y: 0.45, w: 0.42, h: 0.22 },
    cta: { x: 0.05, y: 0.74, w: 0.3, h: 0.1 },
    logo: { x: 0.05, y: 0.02, w: 0.16, h: 0.07 },
    align: 'left',
    colors: { background: '#ecfdf5', text: '#064e3b', accent: '#10b981' },
    fonts: { headline: 'DejaVu Serif', body: 'DejaVu Sans' },
  })!;
  const S = 600;
  const px = (b: { x: number; y: number; w: number; h: number }) => ({ left: b.x * S, top: b.y * S, width: b.w * S, height: b.h * S });
  const templateParams = (p: Partial<AdParams> = {}): AdParams => ({ headline: 'Fresh from the valley', body: 'Cold-pressed, small batches.', cta: 'Shop now', template: splitTemplate, width: S, height: S, ...p });
  const notBackground = (px: number[]): boolean => !near([236, 253, 245], 12)(px);
  const textInk = near([6, 78, 59], 60);

  it('reads a template layout: boxes, alignment, colours and fonts; no boxes means no ad layout', () => {
    expect(splitTemplate).toMatchObject({ imageBox: { x: 0.5 }, align: 'left', colors: { accent: '#10b981' }, fonts: { headline: 'DejaVu Serif' } });
    // An older seeded layout: boxes and colours only.
    expect(adTemplateLayout({ image_box: { x: 0.1, y: 0.2, w: 0.8, h: 0.5 }, headline: { x: 0.08, y: 0.05, w: 0.84, h: 0.12 }, colors: { background: '#111111', text: '#ffffff', accent: '#ff3b30' } })).toMatchObject({ align: 'left', fonts: {} });
    // A malformed font or colour is left out, not trusted.
    expect(adTemplateLayout({ image_box: { x: 0, y: 0, w: 1, h: 0.5 }, headline: { x: 0, y: 0.5, w: 1, h: 0.5 }, colors: { background: 'red' }, fonts: { headline: 'Comic' } })).toMatchObject({ colors: {}, fonts: {} });
    expect(adTemplateLayout({ kind: 'hero', headline: 'Launch day' })).toBeNull();
    expect(adTemplateLayout({ image_box: { x: 0.5, y: 0.5, w: 0.8, h: 0.2 }, headline: { x: 0, y: 0, w: 1, h: 0.1 } })).toBeNull();
    expect(adTemplateLayout({})).toBeNull();
  });

  it("follows a template's layout: its background, the product in image_box, text only in the text boxes", async () => {
    const { png, layout } = await renderAd(await bottle(), templateParams(), variantRandom('t', 0));
    expect(layout.layout).toBe('template');
    expect(await sharp(png).metadata()).toMatchObject({ width: S, height: S });
    const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([data[0], data[1], data[2]]).toEqual([236, 253, 245]); // the template's background, top left
    expect(layout.headline).toEqual(px({ x: 0.05, y: 0.12, w: 0.42, h: 0.3 }));
    expect(layout.logo).toEqual(px({ x: 0.05, y: 0.02, w: 0.16, h: 0.07 }));
    // Headline ink in the headline box, in the template's text colour.
    expect(await count(png, layout.headline, textInk)).toBeGreaterThan(layout.headline.width * layout.headline.height * 0.04);
    expect(await count(png, layout.body!, textInk)).toBeGreaterThan(100);
    // The button is the accent colour with light lettering.
    const cta = layout.cta!;
    expect(await count(png, cta, near([16, 185, 129], 20))).toBeGreaterThan(cta.width * cta.height * 0.4);
    expect(await count(png, cta, (p) => p.every((v) => v > 220))).toBeGreaterThan(30);
    // The product is contained in image_box, centred, in its own colour.
    const image = px(splitTemplate.imageBox);
    expect(layout.product.left).toBeGreaterThanOrEqual(image.left);
    expect(layout.product.top).toBeGreaterThanOrEqual(image.top);
    expect(layout.product.left + layout.product.width).toBeLessThanOrEqual(image.left + image.width + 1);
    expect(layout.product.top + layout.product.height).toBeLessThanOrEqual(image.top + image.height + 1);
    expect(await count(png, image, near([29, 122, 74]))).toBeGreaterThan(image.width * image.height * 0.2);
    // Nothing but background outside the boxes: the right column's gaps, the strip between the
    // text column and the product, below the button, and the empty logo box.
    const outside = [
      { left: S * 0.47, top: 0, width: S * 0.03, height: S },
      { left: 0, top: S * 0.85, width: S * 0.5, height: S * 0.15 },
      { left: 0, top: S * 0.67, width: S * 0.5, height: S * 0.07 },
      layout.logo!,
    ];
    for (const box of outside) expect(await count(png, box, notBackground)).toBe(0);
  });

  it('keeps a long headline inside its template box', async () => {
    const long = 'An unusually long headline that keeps going well past what one line could ever hold in a box like this one, and then some more';
    const { png, layout } = await renderAd(await bottle(), templateParams({ headline: long, body: '', cta: '' }), variantRandom('t', 1));
    const h = layout.headline;
    expect(await count(png, h, textInk)).toBeGreaterThan(500);
    // Above, below and right of the box (up to the image box) is background.
    expect(await count(png, { left: 0, top: 0, width: S * 0.5, height: h.top }, notBackground)).toBe(0);
    expect(await count(png, { left: 0, top: h.top + h.height, width: S * 0.5, height: S - h.top - h.height }, notBackground)).toBe(0);
    expect(await count(png, { left: h.left + h.width, top: 0, width: S * 0.5 - h.left - h.width, height: S }, notBackground)).toBe(0);
  });

  /** The text lines in a box: runs of rows with ink (gaps under 4 rows joined), each with its leftmost and rightmost ink. */
  async function lines(png: Buffer, box: { left: number; top: number; width: number; height: number }, ink: (px: number[]) => boolean): Promise<Array<{ minX: number; maxX: number }>> {
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const found: Array<{ minX: number; maxX: number; lastY: number }> = [];
    for (let y = Math.round(box.top); y < Math.round(box.top + box.height); y++) {
      let minX = Infinity;
      let maxX = -Infinity;
      for (let x = Math.round(box.left); x < Math.round(box.left + box.width); x++) {
        const i = (y * info.width + x) * info.channels;
        if (ink([data[i]!, data[i + 1]!, data[i + 2]!])) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
        }
      }
      if (maxX < 0) continue;
      const last = found.at(-1);
      if (last && y - last.lastY < 4) Object.assign(last, { minX: Math.min(last.minX, minX), maxX: Math.max(last.maxX, maxX), lastY: y });
      else found.push({ minX, maxX, lastY: y });
    }
    return found;
  }

  it('sets a Persian headline right to left, flush with the right side of its box', async () => {
    const { png, layout } = await renderAd(await bottle(), templateParams({ headline: 'تازه از دره', body: 'فشرده سرد، در دسته‌های کوچک', cta: 'خرید' }), variantRandom('t', 2));
    const h = layout.headline;
    const persian = await lines(png, h, textInk);
    expect(persian.length).toBeGreaterThan(0);
    // Every line ends at the right side of the box; a short line leaves the left side empty.
    for (const l of persian) expect(l.maxX).toBeGreaterThan(h.left + h.width * 0.9);
    expect(Math.max(...persian.map((l) => l.minX))).toBeGreaterThan(h.left + h.width * 0.2);
    expect(await count(png, { left: h.left + h.width / 2, top: h.top, width: h.width / 2, height: h.height }, textInk)).toBeGreaterThan(300);
    expect(await count(png, { left: 0, top: h.top + h.height, width: S * 0.5, height: S * 0.45 - h.top - h.height }, notBackground)).toBe(0);
    // The same box with English text starts every line at the left instead.
    const english = await renderAd(await bottle(), templateParams({ headline: 'Fresh from the valley' }), variantRandom('t', 2));
    for (const l of await lines(english.png, h, textInk)) expect(l.minX).toBeLessThan(h.left + h.width * 0.1);
  });

  it("lets the brand's colours override the template's", async () => {
    const { png, layout } = await renderAd(await bottle(), templateParams({ colors: { primary: '#e4572e', background: '#fafafa' } }), variantRandom('t', 3));
    const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([data[0], data[1], data[2]]).toEqual([250, 250, 250]);
    const cta = layout.cta!;
    expect(await count(png, cta, near([228, 87, 46], 20))).toBeGreaterThan(cta.width * cta.height * 0.4);
    // The text colour the brand did not give stays the template's.
    expect(await count(png, layout.headline, textInk)).toBeGreaterThan(300);
  });

  it("renders a 728×90 leaderboard template", async () => {
    const leaderboard = adTemplateLayout({ image_box: { x: 0.02, y: 0.05, w: 0.2, h: 0.9 }, headline: { x: 0.25, y: 0.1, w: 0.5, h: 0.45 }, body: { x: 0.25, y: 0.55, w: 0.5, h: 0.35 }, cta: { x: 0.78, y: 0.25, w: 0.2, h: 0.5 }, colors: { background: '#0b3d91', text: '#ffffff', accent: '#ffd60a' } });
    const { png, layout } = await renderAd(await bottle(), { headline: 'Launch day', body: 'Out now', cta: 'Buy', template: leaderboard, width: 728, height: 90 }, variantRandom('t', 4));
    expect(await sharp(png).metadata()).toMatchObject({ width: 728, height: 90 });
    expect(await count(png, layout.headline, (p) => p.every((v) => v > 200))).toBeGreaterThan(50);
  });
});
