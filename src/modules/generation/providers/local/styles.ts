/**
 * style_conversion: real looks built from sharp operations — edge detection by convolution, median
 * filtering, colour matrices, posterising through a lookup table or k-means palette, tints, vignettes
 * and grain. Each look keeps the input's size; `random` varies a variant's details (grain, palette
 * order, stroke weight), never the look itself.
 */
import sharp, { type Sharp } from 'sharp';
import { ProviderError } from '../provider.ts';
import { decodeRgba } from './common.ts';
import { svg } from './layers.ts';
import { noiseLayer } from './noise.ts';
import { kMeansPalette } from './vectorize.trace.ts';

export const styleNames = ['sketch', 'watercolor', 'vintage', 'noir', 'pop_art', 'cartoon'] as const;
export type StyleName = (typeof styleNames)[number];

const aliases: Record<string, StyleName> = {
  pencil: 'sketch',
  pencil_sketch: 'sketch',
  watercolour: 'watercolor',
  retro: 'vintage',
  sepia: 'vintage',
  black_and_white: 'noir',
  film_noir: 'noir',
  popart: 'pop_art',
  warhol: 'pop_art',
  comic: 'cartoon',
  posterized_cartoon: 'cartoon',
  posterised_cartoon: 'cartoon',
  toon: 'cartoon',
  anime: 'cartoon',
};

/** The look a name (or an alias of one) means here; undefined when this provider has none. */
export function knownStyle(name: string): StyleName | undefined {
  const key = name.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if ((styleNames as readonly string[]).includes(key)) return key as StyleName;
  return aliases[key];
}

export function styleFor(name: string): StyleName {
  const known = knownStyle(name);
  if (known) return known;
  throw new ProviderError('invalid_input', `unknown style ${JSON.stringify(name)}: the local provider offers ${styleNames.join(', ')}`);
}

/** Works on at most this many pixels a side (styles are for viewing, not print). */
const MAX_SIDE = 2048;

const LAPLACIAN = { width: 3, height: 3, kernel: [-1, -1, -1, -1, 8, -1, -1, -1, -1] };

/** Dark lines where the image has edges, white elsewhere, as a 1-channel PNG. */
async function edgeLines(rgb: Buffer, w: number, h: number, threshold: number, smooth: number): Promise<Buffer> {
  const grey = await sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).greyscale().median(smooth).raw().toBuffer();
  const edges = await sharp(grey, { raw: { width: w, height: h, channels: 1 } }).convolve(LAPLACIAN).threshold(threshold).extractChannel(0).raw().toBuffer();
  // A separate pipeline: within one, sharp negates before it thresholds, whatever the call order.
  return sharp(edges, { raw: { width: w, height: h, channels: 1 } }).negate().png().toBuffer();
}

/** Posterises each channel to `levels` steps through a lookup table. */
export function posterise(rgb: Buffer, levels: number): Buffer {
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.round(Math.round((v / 255) * (levels - 1)) * (255 / (levels - 1)));
  const out = Buffer.allocUnsafe(rgb.length);
  for (let i = 0; i < rgb.length; i++) out[i] = lut[rgb[i]!]!;
  return out;
}

/** Each pixel to its nearest colour of a k-means palette of `n`. */
export function quantise(rgb: Buffer, n: number): Buffer {
  const palette = kMeansPalette(rgb, n);
  const out = Buffer.allocUnsafe(rgb.length);
  const cache = new Map<number, number>();
  for (let i = 0; i < rgb.length; i += 3) {
    const key = ((rgb[i]! >> 2) << 12) | ((rgb[i + 1]! >> 2) << 6) | (rgb[i + 2]! >> 2);
    let k = cache.get(key);
    if (k === undefined) {
      let best = Infinity;
      k = 0;
      for (let j = 0; j < palette.length; j++) {
        const c = palette[j]!;
        const d = (rgb[i]! - c[0]) ** 2 + (rgb[i + 1]! - c[1]) ** 2 + (rgb[i + 2]! - c[2]) ** 2;
        if (d < best) {
          best = d;
          k = j;
        }
      }
      cache.set(key, k);
    }
    const c = palette[k]!;
    out[i] = c[0];
    out[i + 1] = c[1];
    out[i + 2] = c[2];
  }
  return out;
}

const vignette = (w: number, h: number, strength: number): Buffer =>
  svg(`<defs><radialGradient id="v" cx="0.5" cy="0.5" r="0.72"><stop offset="0.45" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="${strength}"/></radialGradient></defs><rect width="100%" height="100%" fill="url(#v)"/>`, w, h);

export async function applyStyle(input: Buffer, style: StyleName, random: () => number): Promise<{ jpeg: Buffer; width: number; height: number }> {
  const src = await decodeRgba(input);
  const fit = Math.min(1, MAX_SIDE / Math.max(src.width, src.height));
  const w = Math.max(8, Math.round(src.width * fit));
  const h = Math.max(8, Math.round(src.height * fit));
  const rgb = await sharp(src.data, { raw: { width: src.width, height: src.height, channels: 4 } })
    .flatten({ background: '#ffffff' })
    .resize(w, h, { fit: 'fill' })
    .raw()
    .toBuffer();
  const raw = { raw: { width: w, height: h, channels: 3 as const } };
  const short = Math.min(w, h);
  let out: Sharp;

  switch (style) {
    case 'sketch': {
      // Pencil: colour-dodge the grey image with its blurred negative, then strengthen outlines.
      const grey = await sharp(rgb, raw).greyscale().png().toBuffer();
      const inverted = await sharp(grey).negate().blur(Math.max(2, short / (60 + random() * 40))).png().toBuffer();
      const dodged = await sharp(grey).composite([{ input: inverted, blend: 'colour-dodge' }]).greyscale().png().toBuffer();
      const lines = await edgeLines(rgb, w, h, 40, 3);
      const paper = await noiseLayer(w, h, random, { x: 1.5, y: 1.5 }, 14);
      out = sharp(dodged).composite([{ input: lines, blend: 'multiply' }, { input: paper, blend: 'soft-light' }]).greyscale();
      break;
    }
    case 'watercolor': {
      // Pigment pooling: median flattens detail into washes, a small palette bleeds colours together,
      // paper grain shows through and edges darken slightly where washes meet.
      const washed = await sharp(rgb, raw).median(7).blur(1.2).modulate({ saturation: 1.25 }).raw().toBuffer();
      const pooled = quantise(washed, 20);
      const soft = await sharp(pooled, raw).blur(2).png().toBuffer();
      const paper = await noiseLayer(w, h, random, { x: 2, y: 2 }, 40, 0.7);
      const blotches = await noiseLayer(w, h, random, { x: 40, y: 40 }, 35, short / 60);
      const lines = await edgeLines(rgb, w, h, 70, 5);
      out = sharp(soft).composite([
        { input: blotches, blend: 'soft-light' },
        { input: paper, blend: 'soft-light' },
        { input: await sharp(lines).blur(1).linear(0.4, 153).png().toBuffer(), blend: 'multiply' },
      ]);
      break;
    }
    case 'vintage': {
      // Faded sepia print: a sepia matrix, lifted blacks and lowered contrast, warm cast, vignette, grain.
      const sepia = await sharp(rgb, raw)
        .recomb([
          [0.393, 0.769, 0.189],
          [0.349, 0.686, 0.168],
          [0.272, 0.534, 0.131],
        ])
        .raw()
        .toBuffer();
      const blended = Buffer.allocUnsafe(rgb.length);
      const keep = 0.25 + random() * 0.1;
      for (let i = 0; i < rgb.length; i++) blended[i] = sepia[i]! * (1 - keep) + rgb[i]! * keep;
      const faded = await sharp(blended, raw).linear([0.82, 0.8, 0.72], [30, 24, 18]).png().toBuffer();
      const grain = await noiseLayer(w, h, random, { x: 1.2, y: 1.2 }, 28);
      out = sharp(faded).composite([{ input: grain, blend: 'soft-light' }, { input: vignette(w, h, 0.55) }]);
      break;
    }
    case 'noir': {
      const grey = await sharp(rgb, raw).greyscale().linear(1.55, -0.28 * 255).png().toBuffer();
      const grain = await noiseLayer(w, h, random, { x: 1, y: 1 }, 30);
      out = sharp(grey).composite([{ input: grain, blend: 'soft-light' }, { input: vignette(w, h, 0.75) }]).greyscale();
      break;
    }
    case 'pop_art': {
      // Four posterised panels in different ink sets, with bold outlines (a silkscreen grid).
      const tw = Math.floor(w / 2);
      const th = Math.floor(h / 2);
      const tile = await sharp(rgb, raw).resize(tw, th).median(3).modulate({ saturation: 2 }).raw().toBuffer();
      const inked = posterise(tile, 3);
      const lines = await edgeLines(tile, tw, th, 60, 3);
      const start = Math.floor(random() * 4);
      const hues = [0, 90, 180, 270];
      const tiles = await Promise.all(
        hues.map(async (_, k) => {
          const hue = hues[(start + k) % 4]!;
          return sharp(inked, { raw: { width: tw, height: th, channels: 3 } })
            .modulate({ hue, saturation: 1.3 })
            .composite([{ input: lines, blend: 'multiply' }])
            .png()
            .toBuffer();
        }),
      );
      out = sharp({ create: { width: tw * 2, height: th * 2, channels: 3, background: '#000' } }).composite(
        tiles.map((input, k) => ({ input, left: (k % 2) * tw, top: Math.floor(k / 2) * th })),
      );
      break;
    }
    case 'cartoon': {
      // Flat cel shading: smoothed, reduced to a few colours, with ink outlines.
      const smooth = await sharp(rgb, raw).median(5).median(5).modulate({ saturation: 1.2 }).raw().toBuffer();
      const cel = quantise(smooth, 7 + Math.floor(random() * 3));
      const lines = await edgeLines(rgb, w, h, 28 + Math.floor(random() * 8), 5);
      out = sharp(cel, raw).composite([{ input: lines, blend: 'multiply' }]);
      break;
    }
  }
  const { data, info } = await out.jpeg({ quality: 90, mozjpeg: true }).toBuffer({ resolveWithObject: true });
  return { jpeg: data, width: info.width, height: info.height };
}
