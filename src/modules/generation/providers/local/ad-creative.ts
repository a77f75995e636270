/**
 * ad_creative: a layout — headline, body, call to action and the product — rendered in the brand's
 * colours. A template's layout (boxes, alignment, colours, fonts; `ad-template-layout.ts`) is followed
 * box for box; without one, one of four built-in arrangements is the default layout (decision 047).
 * Shapes are SVG; text is set by sharp's Pango renderer, which wraps words, shrinks the text to fit
 * its box, and shapes and orders right-to-left scripts (Persian, Arabic) itself, with the system's
 * fonts through fontconfig. The font stack names DejaVu Sans first (Debian's default fonts, with
 * Arabic glyphs), then Liberation Sans, then any sans-serif.
 */
import sharp, { type OverlayOptions } from 'sharp';
import { ProviderError } from '../provider.ts';
import { canvasFor, hex, mix, parseColour, xmlText, type Rgb } from './common.ts';
import { alphaBounds, fromLayer, svg, toLayer, type Layer } from './layers.ts';
import type { AdTemplateLayout, FractionBox, TemplateFont } from './ad-template-layout.ts';

export const FONT_STACK = 'DejaVu Sans, Liberation Sans, sans-serif';
export const adLayouts = ['hero', 'stacked', 'banner', 'overlay'] as const;
export type AdLayout = (typeof adLayouts)[number];

export interface AdParams {
  headline: string;
  body?: string;
  cta?: string;
  /** The brand's colours; when given they override a template's (primary = its accent). */
  colors?: { primary: string; secondary?: string; background?: string; text?: string };
  layout?: AdLayout;
  /** A template's layout: followed instead of the built-in arrangements. */
  template?: AdTemplateLayout | null;
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
  layout: AdLayout | 'template';
  headline: Box;
  body: Box | null;
  cta: Box | null;
  /** A template's logo box, left empty (no logo image is taken yet). */
  logo: Box | null;
  /** Where the product landed. */
  product: Box;
}

/** The ad colour when neither the brand nor the template gives one. */
export const DEFAULT_PRIMARY = '#1f6feb';

/** Hebrew, Arabic (with Persian), Syriac, Thaana, N'Ko and their presentation forms. */
const RTL_SCRIPT = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
/** Right to left when the first strong letter is of a right-to-left script. */
export function isRightToLeft(text: string): boolean {
  const first = /[\p{L}]/u.exec(text);
  return first ? RTL_SCRIPT.test(first[0]) : false;
}

type Align = 'left' | 'centre';

const luminance = (c: Rgb): number => (0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b) / 255;
const readableOn = (bg: Rgb): Rgb => (luminance(bg) > 0.55 ? { r: 20, g: 20, b: 24 } : { r: 255, g: 255, b: 255 });

/**
 * Text set in a box: wrapped by words, shrunk until it fits (Pango picks the size for the box), and
 * aligned; right-to-left text is set flush right. Returns the overlay at its place, never larger
 * than the box.
 */
async function textBlock(text: string, box: Box, colour: Rgb, weight: 'Bold' | 'Regular', align: Align, family?: TemplateFont): Promise<OverlayOptions> {
  const rtl = isRightToLeft(text);
  const side = align === 'centre' ? 'centre' : rtl ? 'right' : 'left';
  // Pango lays out a right-to-left paragraph from the right and mirrors its alignment: its `left`
  // is the start of the line, which for Persian is the right.
  const pangoAlign = side === 'centre' ? 'centre' : 'left';
  const markup = `<span foreground="${hex(colour)}">${xmlText(text)}</span>`;
  const bw = Math.max(1, Math.floor(box.width));
  const bh = Math.max(1, Math.floor(box.height));
  const font = family ? `${family}, ${FONT_STACK}` : FONT_STACK;
  const rendered = await sharp({ text: { text: markup, font: `${font} ${weight}`, width: bw, height: bh, rgba: true, wrap: 'word', align: pangoAlign } })
    .png()
    .toBuffer({ resolveWithObject: true });
  // Pango fits the size to the box; a rounding pixel over is cut off rather than spilt.
  let { data, info } = rendered;
  if (info.width > bw || info.height > bh) {
    data = await sharp(data).extract({ left: 0, top: 0, width: Math.min(bw, info.width), height: Math.min(bh, info.height) }).png().toBuffer();
    info = { ...info, width: Math.min(bw, info.width), height: Math.min(bh, info.height) };
  }
  const left = side === 'centre' ? box.left + (box.width - info.width) / 2 : side === 'right' ? box.left + box.width - info.width : box.left;
  const top = box.top + (box.height - info.height) / 2;
  return { input: data, left: Math.max(0, Math.floor(left)), top: Math.max(0, Math.floor(top)) };
}

/** The product trimmed to what is visible and fitted (contained) into a box, centred in it. */
async function fitProduct(product: Layer, into: Box): Promise<{ data: Buffer; box: Box }> {
  const visible = alphaBounds(product);
  if (!visible) throw new ProviderError('invalid_input', 'the product image is empty');
  const fitted = await fromLayer(await toLayer(fromLayer(product).extract(visible)))
    .resize(Math.max(1, Math.floor(into.width)), Math.max(1, Math.floor(into.height)), { fit: 'inside' })
    .png()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = fitted.info;
  const left = Math.round(into.left + (into.width - width) / 2);
  const top = Math.round(into.top + (into.height - height) / 2);
  return { data: fitted.data, box: { left, top, width, height } };
}

/** Canvas sides an ad may have: small enough banners (728×90) and no larger than 4096. */
const MIN_SIDE = 64;
const MAX_SIDE = 4096;

export async function renderAd(product: Layer, params: AdParams, random: () => number): Promise<{ png: Buffer; layout: AdLayoutResult }> {
  if (!params.headline.trim()) throw new ProviderError('invalid_input', 'an ad needs a headline');
  const size =
    params.width && params.height
      ? { width: params.width, height: params.height }
      : canvasFor(params.aspectRatio ?? '1:1', 1.0);
  if (size.width < MIN_SIDE || size.height < MIN_SIDE || size.width > MAX_SIDE || size.height > MAX_SIDE) {
    throw new ProviderError('invalid_input', `ad size ${size.width}×${size.height} is outside ${MIN_SIDE}–${MAX_SIDE} px a side`);
  }
  return params.template ? renderTemplate(product, params, params.template, size) : renderArrangement(product, params, size, random);
}

/**
 * A template's layout, box for box: the background in its colour, the product contained in
 * `image_box`, headline, body and a filled call-to-action button in theirs, the logo box left empty.
 * Each colour the brand gives overrides the template's; what neither gives is derived.
 */
async function renderTemplate(product: Layer, params: AdParams, t: AdTemplateLayout, size: { width: number; height: number }): Promise<{ png: Buffer; layout: AdLayoutResult }> {
  const { width: W, height: H } = size;
  const brand = params.colors;
  const colour = (value: string | undefined, field: string): Rgb | undefined => (value ? parseColour(value, field) : undefined);
  const accent = colour(brand?.primary, 'brand primary colour') ?? colour(t.colors.accent, 'template accent colour') ?? parseColour(DEFAULT_PRIMARY, 'default colour');
  const background = colour(brand?.background, 'brand background colour') ?? colour(t.colors.background, 'template background colour') ?? mix(accent, { r: 255, g: 255, b: 255 }, 0.92);
  const textColour = colour(brand?.text, 'brand text colour') ?? colour(t.colors.text, 'template text colour') ?? readableOn(background);
  const px = (f: FractionBox): Box => ({ left: f.x * W, top: f.y * H, width: f.w * W, height: f.h * H });
  const align: Align = t.align === 'center' ? 'centre' : 'left';

  const cta = params.cta?.trim() && t.cta ? px(t.cta) : null;
  const shapes =
    `<rect width="${W}" height="${H}" fill="${hex(background)}"/>` +
    (cta ? `<rect x="${cta.left}" y="${cta.top}" width="${cta.width}" height="${cta.height}" rx="${Math.min(cta.height, cta.width) / 4}" fill="${hex(accent)}"/>` : '');
  const placed = await fitProduct(product, px(t.imageBox));
  const overlays: OverlayOptions[] = [{ input: placed.data, left: placed.box.left, top: placed.box.top }];

  const headline = px(t.headline);
  overlays.push(await textBlock(params.headline, headline, textColour, 'Bold', align, t.fonts.headline));
  const body = params.body?.trim() && t.body ? px(t.body) : null;
  if (body) overlays.push(await textBlock(params.body!, body, textColour, 'Regular', align, t.fonts.body));
  if (cta) {
    const pad = Math.min(cta.height * 0.2, cta.width * 0.08);
    overlays.push(await textBlock(params.cta!, { left: cta.left + pad, top: cta.top + pad, width: cta.width - 2 * pad, height: cta.height - 2 * pad }, readableOn(accent), 'Bold', 'centre', t.fonts.headline));
  }

  const png = await sharp(svg(shapes, W, H)).composite(overlays).removeAlpha().png({ compressionLevel: 6 }).toBuffer();
  return { png, layout: { width: W, height: H, layout: 'template', headline, body, cta, logo: t.logo ? px(t.logo) : null, product: placed.box } };
}

function chooseLayout(requested: AdLayout | undefined, W: number, H: number, random: () => number): AdLayout {
  if (requested) return requested;
  const ratio = W / H;
  if (ratio >= 2) return 'banner';
  if (ratio < 0.85) return 'stacked';
  return random() < 0.7 ? 'hero' : 'overlay';
}

/** The default layout: one of four built-in arrangements, with a decorative shape and a band. */
async function renderArrangement(product: Layer, params: AdParams, size: { width: number; height: number }, random: () => number): Promise<{ png: Buffer; layout: AdLayoutResult }> {
  const { width: W, height: H } = size;
  const colors = params.colors ?? { primary: DEFAULT_PRIMARY };
  const primary = parseColour(colors.primary, 'brand primary colour');
  const secondary = colors.secondary ? parseColour(colors.secondary, 'brand secondary colour') : mix(primary, { r: 255, g: 255, b: 255 }, 0.6);
  const background = colors.background ? parseColour(colors.background, 'brand background colour') : mix(primary, { r: 255, g: 255, b: 255 }, 0.92);
  const textColour = colors.text ? parseColour(colors.text, 'brand text colour') : readableOn(background);
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
  const trimmedProduct = await fitProduct(product, L.product);
  const { left: pl, top: pt, width: pw, height: ph } = trimmedProduct.box;
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
  return { png, layout: { width: W, height: H, layout, headline: L.headline, body, cta, logo: null, product: { left: pl, top: pt, width: pw, height: ph } } };
}
