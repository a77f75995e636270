/**
 * Vectorising with potrace (the @gatsbyjs/potrace port, pure JavaScript): monochrome (one traced
 * layer from a luminance threshold) or posterised colour (k-means picks exactly n colours; each colour's region is traced and stacked, the most common colour as the backdrop).
 * The SVG is written here from potrace's path data alone, so it carries no scripts, styles or
 * external references; `assertSafeSvg` checks that before it leaves.
 */
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { ProviderError } from '../provider.ts';
import { checkAbort, decodeRgba, hex } from './common.ts';
import { rng } from './random.ts';

const require = createRequire(import.meta.url);

interface PotraceInstance {
  loadImage(image: unknown, cb: (err: Error | null) => void): void;
  getPathTag(fill: string, scale?: { x: number; y: number }): string;
}
type PotraceCtor = new (opts: Record<string, unknown>) => PotraceInstance;
type JimpCtor = new (opts: { data: Buffer; width: number; height: number }, cb: (err: Error | null, img: unknown) => void) => unknown;

const { Potrace } = require('@gatsbyjs/potrace') as { Potrace: PotraceCtor };
// potrace checks `instanceof` against this very module (deduplicated to one copy in package.json).
const Jimp = require('jimp-compact') as JimpCtor;

/** Tracing works on at most this many pixels a side; the SVG is scaled back to the input's size. */
export const TRACE_MAX_SIDE = 1024;

export interface VectorizeParams {
  mode: 'monochrome' | 'color';
  /** Colours for `color` mode, 2–16. */
  colors?: number;
  /** Luminance threshold 0–255 for `monochrome`; dark pixels are traced. Default 128. */
  threshold?: number;
  /** Speckles up to this many pixels are dropped (potrace's turdsize). */
  despeckle?: number;
  /** Corner smoothness, potrace's alphamax (0 = sharp corners, 1.33 = all curves). */
  smoothness?: number;
}

function jimpFrom(data: Buffer, width: number, height: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    new Jimp({ data, width, height }, (err, img) => (err ? reject(err) : resolve(img)));
  });
}

/** One layer: pixels where `inside` is set become black, the rest white, and potrace traces the black. */
async function traceLayer(inside: Uint8Array, width: number, height: number, fill: string, params: VectorizeParams, scale: { x: number; y: number }): Promise<string> {
  const rgba = Buffer.alloc(width * height * 4, 255);
  for (let i = 0; i < inside.length; i++) {
    if (inside[i]) {
      rgba[i * 4] = 0;
      rgba[i * 4 + 1] = 0;
      rgba[i * 4 + 2] = 0;
    }
  }
  const image = await jimpFrom(rgba, width, height);
  const tracer = new Potrace({ threshold: 128, blackOnWhite: true, turdSize: params.despeckle ?? 2, alphaMax: params.smoothness ?? 1, optCurve: true });
  await new Promise<void>((resolve, reject) => tracer.loadImage(image, (err) => (err ? reject(err) : resolve())));
  const tag = tracer.getPathTag(fill, scale);
  // An empty layer traces to `d=""`: leave it out.
  return /d="\s*"/.test(tag) ? '' : tag;
}

export async function vectorize(input: Buffer, params: VectorizeParams, signal?: AbortSignal): Promise<{ svg: string; layers: number; width: number; height: number }> {
  const src = await decodeRgba(input);
  const fit = Math.min(1, TRACE_MAX_SIDE / Math.max(src.width, src.height));
  const w = Math.max(1, Math.round(src.width * fit));
  const h = Math.max(1, Math.round(src.height * fit));
  // Transparent areas count as white paper, as potrace itself treats them.
  const flat = await sharp(src.data, { raw: { width: src.width, height: src.height, channels: 4 } })
    .flatten({ background: '#ffffff' })
    .resize(w, h, { kernel: 'lanczos3' });
  const scale = { x: src.width / w, y: src.height / h };
  const paths: string[] = [];
  let background = '';

  if (params.mode === 'monochrome') {
    const threshold = params.threshold ?? 128;
    if (!Number.isInteger(threshold) || threshold < 0 || threshold > 255) throw new ProviderError('invalid_input', 'threshold must be an integer 0–255');
    const grey = await flat.greyscale().raw().toBuffer();
    const inside = new Uint8Array(w * h);
    for (let i = 0; i < inside.length; i++) inside[i] = grey[i]! < threshold ? 1 : 0;
    checkAbort(signal);
    const tag = await traceLayer(inside, w, h, '#000000', params, scale);
    if (tag) paths.push(tag);
  } else {
    const colors = params.colors ?? 6;
    if (!Number.isInteger(colors) || colors < 2 || colors > 16) throw new ProviderError('invalid_input', 'colors must be an integer 2–16');
    const rgb = await flat.removeAlpha().raw().toBuffer();
    const palette = kMeansPalette(rgb, colors);
    // Each pixel takes its nearest palette colour.
    const index = new Uint8Array(w * h);
    const counts = new Array<number>(palette.length).fill(0);
    for (let i = 0; i < index.length; i++) {
      const r = rgb[i * 3]!;
      const g = rgb[i * 3 + 1]!;
      const b = rgb[i * 3 + 2]!;
      let best = 0;
      let bestD = Infinity;
      for (let k = 0; k < palette.length; k++) {
        const c = palette[k]!;
        const d = (r - c[0]) ** 2 + (g - c[1]) ** 2 + (b - c[2]) ** 2;
        if (d < bestD) {
          bestD = d;
          best = k;
        }
      }
      index[i] = best;
      counts[best]!++;
    }
    const order = palette
      .map((c, s) => ({ c, s, count: counts[s]! }))
      .filter((p) => p.count > 0)
      .sort((a, b) => b.count - a.count);
    const colourOf = (c: [number, number, number]): string => hex({ r: c[0], g: c[1], b: c[2] });
    // The most common colour fills the canvas; every other region is traced on top of it, so the
    // small gaps potrace's smoothing leaves between regions show a plausible colour.
    background = colourOf(order[0]!.c);
    for (const p of order.slice(1)) {
      checkAbort(signal);
      const inside = new Uint8Array(w * h);
      for (let i = 0; i < inside.length; i++) inside[i] = index[i] === p.s ? 1 : 0;
      const tag = await traceLayer(inside, w, h, colourOf(p.c), params, scale);
      // Tracing is synchronous JavaScript: let other work in between layers.
      await new Promise((resolve) => setImmediate(resolve));
      if (tag) paths.push(tag);
    }
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${src.width}" height="${src.height}" viewBox="0 0 ${src.width} ${src.height}" version="1.1">` +
    (background ? `<rect x="0" y="0" width="${src.width}" height="${src.height}" fill="${background}"/>` : '') +
    paths.join('') +
    '</svg>';
  assertSafeSvg(svg);
  return { svg, layers: paths.length + (background ? 1 : 0), width: src.width, height: src.height };
}

/**
 * n colours by k-means on a sample of at most 4096 pixels, seeded deterministically (k-means++ with a
 * fixed generator), so the same image always gives the same palette.
 */
export function kMeansPalette(rgb: Buffer, n: number): [number, number, number][] {
  const pixels = rgb.length / 3;
  const step = Math.max(1, Math.floor(pixels / 4096));
  const sample: [number, number, number][] = [];
  for (let i = 0; i < pixels; i += step) sample.push([rgb[i * 3]!, rgb[i * 3 + 1]!, rgb[i * 3 + 2]!]);
  const random = rng(12345);
  const dist = (a: readonly number[], b: readonly number[]): number => (a[0]! - b[0]!) ** 2 + (a[1]! - b[1]!) ** 2 + (a[2]! - b[2]!) ** 2;
  const centres: [number, number, number][] = [[...sample[0]!]];
  while (centres.length < n) {
    const d = sample.map((p) => Math.min(...centres.map((c) => dist(p, c))));
    const total = d.reduce((a, b) => a + b, 0);
    if (total === 0) break; // fewer distinct colours than asked for
    let pickAt = random() * total;
    let chosen = 0;
    while (pickAt > d[chosen]! && chosen < d.length - 1) pickAt -= d[chosen++]!;
    centres.push([...sample[chosen]!]);
  }
  for (let iter = 0; iter < 12; iter++) {
    const sums = centres.map(() => [0, 0, 0, 0]);
    for (const p of sample) {
      let best = 0;
      for (let k = 1; k < centres.length; k++) if (dist(p, centres[k]!) < dist(p, centres[best]!)) best = k;
      const s = sums[best]!;
      s[0]! += p[0];
      s[1]! += p[1];
      s[2]! += p[2];
      s[3]!++;
    }
    sums.forEach((s, k) => {
      if (s[3]! > 0) centres[k] = [Math.round(s[0]! / s[3]!), Math.round(s[1]! / s[3]!), Math.round(s[2]! / s[3]!)];
    });
  }
  return centres;
}

const allowedTag = /^<\/?(svg|path|rect)\b/;
const allowedAttr = new Set(['xmlns', 'width', 'height', 'viewBox', 'version', 'x', 'y', 'd', 'fill', 'stroke', 'fill-rule']);

/**
 * Only the elements and attributes this module writes may appear: no script, style, foreignObject,
 * event handler, href or url() reference. Throws `provider_error` if anything else slipped in.
 */
export function assertSafeSvg(svg: string): void {
  for (const tag of svg.match(/<[^>]*>/g) ?? []) {
    if (!allowedTag.test(tag)) throw new ProviderError('provider_error', `vectorised SVG has a disallowed element: ${tag.slice(0, 40)}`);
    for (const [, name, value] of tag.matchAll(/\s([a-zA-Z:-]+)="([^"]*)"/g)) {
      if (!allowedAttr.has(name!)) throw new ProviderError('provider_error', `vectorised SVG has a disallowed attribute: ${name}`);
      if (/url\(|javascript:|&/i.test(value!)) throw new ProviderError('provider_error', `vectorised SVG has a disallowed value in ${name}`);
    }
  }
}
