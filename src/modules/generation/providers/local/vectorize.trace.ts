/**
 * The CPU-bound half of vectorising: from pixels sharp has already flattened and resized to potrace's
 * path tags. It is synchronous JavaScript (about 200 ms a layer at 1024 px), so the provider runs it in
 * a worker thread (vectorize.worker.ts, vectorize.pool.ts); the very same `traceLayers` also runs on
 * the calling thread, which is how the tests check the worker's SVG byte for byte. No sharp here: the
 * worker loads only this module and potrace.
 */
import { createRequire } from 'node:module';
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

/** What to trace; parameters are already checked and defaulted by `vectorize`. */
export interface TraceJob {
  mode: 'monochrome' | 'color';
  width: number;
  height: number;
  /** `monochrome`: one grey byte per pixel; `color`: three RGB bytes per pixel, row-major. */
  pixels: Uint8Array;
  threshold: number;
  colors: number;
  despeckle: number;
  smoothness: number;
  /** From the traced size back to the input's, applied to the path data. */
  scale: { x: number; y: number };
}

export interface TraceResult {
  /** The backdrop colour (`color` mode's commonest colour), or '' for none. */
  background: string;
  /** One `<path>` tag per non-empty layer, in stacking order. */
  paths: string[];
}

function jimpFrom(data: Buffer, width: number, height: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    new Jimp({ data, width, height }, (err, img) => (err ? reject(err) : resolve(img)));
  });
}

/** One layer: pixels where `inside` is set become black, the rest white, and potrace traces the black. */
async function traceLayer(inside: Uint8Array, job: TraceJob, fill: string): Promise<string> {
  const { width, height } = job;
  const rgba = Buffer.alloc(width * height * 4, 255);
  for (let i = 0; i < inside.length; i++) {
    if (inside[i]) {
      rgba[i * 4] = 0;
      rgba[i * 4 + 1] = 0;
      rgba[i * 4 + 2] = 0;
    }
  }
  const image = await jimpFrom(rgba, width, height);
  const tracer = new Potrace({ threshold: 128, blackOnWhite: true, turdSize: job.despeckle, alphaMax: job.smoothness, optCurve: true });
  await new Promise<void>((resolve, reject) => tracer.loadImage(image, (err) => (err ? reject(err) : resolve())));
  const tag = tracer.getPathTag(fill, job.scale);
  // An empty layer traces to `d=""`: leave it out.
  return /d="\s*"/.test(tag) ? '' : tag;
}

/** Palette entries are whole numbers 0–255. */
const colourOf = (c: readonly [number, number, number]): string => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/**
 * Traces every layer of a job. `checkpoint` runs before each layer and throws to stop (an aborted
 * run on the calling thread, a cancelled one in the worker).
 */
export async function traceLayers(job: TraceJob, checkpoint: () => void = () => {}): Promise<TraceResult> {
  const { width: w, height: h, pixels } = job;
  const paths: string[] = [];

  if (job.mode === 'monochrome') {
    const inside = new Uint8Array(w * h);
    for (let i = 0; i < inside.length; i++) inside[i] = pixels[i]! < job.threshold ? 1 : 0;
    checkpoint();
    const tag = await traceLayer(inside, job, '#000000');
    if (tag) paths.push(tag);
    return { background: '', paths };
  }
  if (job.mode !== 'color') throw new Error(`unknown vectorize mode ${JSON.stringify(job.mode)}`);

  const palette = kMeansPalette(pixels, job.colors);
  // Each pixel takes its nearest palette colour.
  const index = new Uint8Array(w * h);
  const counts = new Array<number>(palette.length).fill(0);
  for (let i = 0; i < index.length; i++) {
    const r = pixels[i * 3]!;
    const g = pixels[i * 3 + 1]!;
    const b = pixels[i * 3 + 2]!;
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
  // The most common colour fills the canvas; every other region is traced on top of it, so the
  // small gaps potrace's smoothing leaves between regions show a plausible colour.
  const background = colourOf(order[0]!.c);
  for (const p of order.slice(1)) {
    checkpoint();
    const inside = new Uint8Array(w * h);
    for (let i = 0; i < inside.length; i++) inside[i] = index[i] === p.s ? 1 : 0;
    const tag = await traceLayer(inside, job, colourOf(p.c));
    // Let other work in between layers (on the calling thread, the event loop; in the worker, a cancel).
    await new Promise((resolve) => setImmediate(resolve));
    if (tag) paths.push(tag);
  }
  return { background, paths };
}

/**
 * n colours by k-means on a sample of at most 4096 pixels, seeded deterministically (k-means++ with a
 * fixed generator), so the same image always gives the same palette.
 */
export function kMeansPalette(rgb: Uint8Array, n: number): [number, number, number][] {
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
