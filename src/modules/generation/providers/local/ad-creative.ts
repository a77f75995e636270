/**
 * ad_creative: a template layout — headline, body, call to action and the product — rendered in the
 * brand's colours. Shapes are SVG; text is set by sharp's Pango renderer, which wraps words and
 * shrinks the text to fit its box, with the system's fonts through fontconfig. The font stack names
 * DejaVu Sans first (Debian's default fonts), then Liberation Sans, then any sans-serif.
 */
import sharp, { type OverlayOptions } from 'sharp';
import { ProviderError } from '../provider.ts';
import { canvasFor, hex, mix, parseColour, xmlText, type Rgb } from './common.ts';
import { alphaBounds, fromLayer, svg, toLayer, type Layer } from './layers.ts';

export const FONT_STACK = 'DejaVu Sans, Liberation Sans, sans-serif';
export const adLayouts = ['hero', 'stacked', 'banner', 'overlay'] as const;
export type AdLayout = (typeof adLayouts)[number];

export interface AdParams {
  headline: string;
  body?: string;
  cta?: string;
  colors: { primary: string; secondary?: string; background?: string; text?: string };
  layout?: AdLayout;
  width?: number;
  height?: number;
  aspectRatio?: string;
}

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface AdLayoutResult {
  width: number;
  height: number;
  layout: AdLayout;
  headline: Box;
  body: Box | null;
  cta: Box | null;
  product: Box;
}

const luminance = (c: Rgb): number => (0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b) / 255;
const readableOn = (bg: Rgb): Rgb => (luminance(bg) > 0.55 ? { r: 20, g: 20, b: 24 } : { r: 255, g: 255, b: 255 });

/** Text set in a box: wrapped, shrunk to fit, and aligned; returns the overlay at its place. */
async function textBlock(text: string, box: Box, colour: Rgb, weight: 'Bold' | 'Regular', align: 'left' | 'centre'): Promise<OverlayOptions> {
  const markup = `<span foreground="${hex(colour)}">${xmlText(text)}</span>`;
  const rendered = await sharp({
    text: { text: markup, font: `${FONT_STACK} ${weight}`, width: Math.round(box.width), height: Math.round(box.height), rgba: true, wrap: 'word', align: align === 'centre' ? 'centre' : 'left' },
  })
    .png()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = rendered.info;
  const left = align === 'centre' ? box.left + (box.width - width) / 2 : box.left;
  const top = box.top + (box.height - height) / 2;
  return { input: rendered.data, left: Math.max(0, Math.round(left)), top: Math.max(0, Math.round(top)) };
}

function chooseLayout(requested: AdLayout | undefined, W: number, H: number, random: () => number): AdLayout {
  if (requested) return requested;
  const ratio = W / H;
  if (ratio >= 2) return 'banner';
  if (ratio < 0.85) return 'stacked';
  return random() < 0.7 ? 'hero' : 'overlay';
}

export async function renderAd(product: Layer, params: AdParams, random: () => number): Promise<{ png: Buffer; layout: AdLayoutResult }> {
  if (!params.headline.trim()) throw new ProviderError('invalid_input', 'an ad needs a headline');
  const size =
    params.width && params.height
      ? { width: params.width, height: params.height }
      : canvasFor(params.aspectRatio ?? '1:1', 1.0);
  if (size.width < 200 || size.height < 200 || size.width > 4096 || size.height > 4096) {
    throw new ProviderError('invalid_input', `ad size ${size.width}×${size.height} is outside 200–4096 px a side`);
  }
  const { width: W, height: H } = size;
  const primary = parseColour(params.colors.primary, 'brand primary colour');
  const secondary = params.colors.secondary ? parseColour(params.colors.secondary, 'brand secondary colour') : mix(primary, { r: 255, g: 255, b: 255 }, 0.6);
  const background = params.colors.background ? parseColour(params.colors.background, 'brand background colour') : mix(primary, { r: 255, g: 255, b: 255 }, 0.92);
  const textColour = params.colors.text ? parseColour(params.colors.text, 'brand text colour') : readableOn(background);
  const layout = chooseLayout(params.layout, W, H, random);

  // Boxes per layout, as fractions of the canvas.
  const b = (l: number, t: number, w: number, h: number): Box => ({ left: l * W, top: t * H, width: w * W, height: h * H });
  const flip = layout === 'hero' && random() < 0.5; // product on the left in half the hero variants
  const boxes: Record<AdLayout, { product: Box; headline: Box; body: Box; cta: Box; align: 'left' | 'centre' }> = {
    hero: { product: b(flip ? 0.04 : 0.5, 0.12, 0.46, 0.72), headline: b(flip ? 0.54 : 0.06, 0.1, 0.4, 0.3), body: b(flip ? 0.54 : 0.06, 0.44, 0.4, 0.2), cta: b(flip ? 0.54 : 0.06, 0.7, 0.3, 0.1), align: 'left' },
    stacked: { product: b(0.12, 0.05, 0.76, 0.45), headline: b(0.08, 0.53, 0.84, 0.16), body: b(0.1, 0.7, 0.8, 0.1), cta: b(0.28, 0.84, 0.44, 0.08), align: 'centre' },
    banner: { product: b(0.7, 0.08, 0.26, 0.84), headline: b(0.04, 0.1, 0.5, 0.45), body: b(0.04, 0.58, 0.5, 0.3), cta: b(0.555, 0.4, 0.135, 0.2), align: 'left' },
    overlay: { product: b(0.15, 0.04, 0.7, 0.62), headline: b(0.08, 0.68, 0.84, 0.14), body: b(0.1, 0.82, 0.8, 0.07), cta: b(0.34, 0.9, 0.32, 0.07), align: 'centre' },
  };
  const L = boxes[layout];

  // Backdrop: the brand background, a decorative shape in the secondary colour behind the product,
  // a thin primary band along the bottom, and the call-to-action button.
  const pc = { x: L.product.left + L.product.width / 2, y: L.product.top + L.product.height / 2 };
  const deco =
    random() < 0.5
      ? `<circle cx="${pc.x}" cy="${pc.y}" r="${Math.min(L.product.width, L.product.height) * (0.46 + random() * 0.08)}" fill="${hex(secondary)}"/>`
      : `<polygon points="${pc.x - L.product.width * 0.6},${H} ${pc.x + L.product.width * 0.1},0 ${pc.x + L.product.width * 0.7},0 ${pc.x - L.product.width * 0.0},${H}" fill="${hex(secondary)}"/>`;
  const cta = params.cta?.trim() ? L.cta : null;
  const shapes =
    `<rect width="${W}" height="${H}" fill="${hex(background)}"/>${deco}` +
    `<rect y="${H - Math.max(6, H * 0.018)}" width="${W}" height="${Math.max(6, H * 0.018)}" fill="${hex(primary)}"/>` +
    (cta ? `<rect x="${cta.left}" y="${cta.top}" width="${cta.width}" height="${cta.height}" rx="${cta.height / 2}" fill="${hex(primary)}"/>` : '');
  const overlays: OverlayOptions[] = [];

  // The product: trimmed to what is visible, fitted into its box with a soft shadow.
  const box = alphaBounds(product);
  if (!box) throw new ProviderError('invalid_input', 'the product image is empty');
  const trimmedProduct = await fromLayer(await toLayer(fromLayer(product).extract(box))).resize(Math.round(L.product.width), Math.round(L.product.height), { fit: 'inside' }).png().toBuffer({ resolveWithObject: true });
  const pw = trimmedProduct.info.width;
  const ph = trimmedProduct.info.height;
  const pl = Math.round(pc.x - pw / 2);
  const pt = Math.round(pc.y - ph / 2);
  const shadow = await sharp(trimmedProduct.data)
    .ensureAlpha()
    .linear([0, 0, 0, 0.35], [0, 0, 0, 0])
    .extend({ top: 20, bottom: 20, left: 20, right: 20, background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .blur(8)
    .png()
    .toBuffer();
  overlays.push({ input: shadow, left: Math.max(0, pl - 20 + 6), top: Math.max(0, pt - 20 + 10) });
  overlays.push({ input: trimmedProduct.data, left: Math.max(0, pl), top: Math.max(0, pt) });

  overlays.push(await textBlock(params.headline, L.headline, layout === 'overlay' ? textColour : mix(textColour, primary, 0.15), 'Bold', L.align));
  const body = params.body?.trim() ? L.body : null;
  if (body) overlays.push(await textBlock(params.body!, body, textColour, 'Regular', L.align));
  if (cta) overlays.push(await textBlock(params.cta!, { left: cta.left + cta.height * 0.4, top: cta.top + cta.height * 0.18, width: cta.width - cta.height * 0.8, height: cta.height * 0.64 }, readableOn(primary), 'Bold', 'centre'));

  const png = await sharp(svg(shapes, W, H)).composite(overlays).removeAlpha().png({ compressionLevel: 6 }).toBuffer();
  return { png, layout: { width: W, height: H, layout, headline: L.headline, body, cta, product: { left: pl, top: pt, width: pw, height: ph } } };
}
