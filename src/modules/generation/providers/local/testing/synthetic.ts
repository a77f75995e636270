/**
 * Images made on the spot for tests and benchmarks, with known ground truth: a product-like object
 * (a shaded, labelled bottle or a textured mug) whose exact shape is known, composed over plain,
 * gradient or photo-like noisy backgrounds. Nothing here is a binary fixture.
 */
import sharp from 'sharp';
import { rng } from '../random.ts';

export type BackgroundKind = 'plain' | 'gradient' | 'textured';

/** Noise as raw RGB bytes, smoothed by sharp into blotches plus fine grain (photo-like clutter). */
export async function noiseImage(width: number, height: number, seed: number, opts: { blur?: number; amplitude?: number; base?: [number, number, number] } = {}): Promise<Buffer> {
  const r = rng(seed);
  const cw = Math.max(1, Math.round(width / 16));
  const ch = Math.max(1, Math.round(height / 16));
  const coarse = Buffer.alloc(cw * ch * 3);
  for (let i = 0; i < coarse.length; i++) coarse[i] = Math.floor(r() * 256);
  const blotches = await sharp(coarse, { raw: { width: cw, height: ch, channels: 3 } })
    .resize(width, height, { kernel: 'cubic' })
    .blur(opts.blur ?? 6)
    .raw()
    .toBuffer();
  const amp = opts.amplitude ?? 0.6;
  const base = opts.base ?? [150, 140, 120];
  const out = Buffer.alloc(width * height * 3);
  for (let i = 0; i < out.length; i++) {
    const grain = (r() - 0.5) * 30;
    out[i] = Math.max(0, Math.min(255, base[i % 3]! * (1 - amp) + blotches[i]! * amp + grain));
  }
  return out;
}

export async function background(kind: BackgroundKind, width: number, height: number, seed = 1): Promise<Buffer> {
  if (kind === 'plain') {
    return sharp({ create: { width, height, channels: 3, background: { r: 236, g: 234, b: 230 } } }).raw().toBuffer();
  }
  if (kind === 'gradient') {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
      <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#7fa7c9"/><stop offset="1" stop-color="#e9d2b4"/></linearGradient></defs>
      <rect width="100%" height="100%" fill="url(#g)"/></svg>`;
    return sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
  }
  return noiseImage(width, height, seed);
}

/** A bottle-like object as SVG: body with cylindrical shading, shoulder, neck, cap and a label. */
function bottleSvg(width: number, height: number, cx: number, cy: number, scale: number, fill = true): string {
  const w = 180 * scale;
  const h = 420 * scale;
  const x = cx - w / 2;
  const y = cy - h / 2;
  const neckW = w * 0.36;
  const paint = (id: string, colour: string): string => (fill ? `url(#${id})` : colour);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs>
      <linearGradient id="body" x1="0" x2="1"><stop offset="0" stop-color="#0b4d2c"/><stop offset="0.35" stop-color="#2f9e62"/><stop offset="0.55" stop-color="#8fe0b0"/><stop offset="1" stop-color="#06361f"/></linearGradient>
      <linearGradient id="cap" x1="0" x2="1"><stop offset="0" stop-color="#5a1010"/><stop offset="0.5" stop-color="#d84a3a"/><stop offset="1" stop-color="#3a0808"/></linearGradient>
    </defs>
    <path d="M ${x} ${y + h * 0.34} Q ${x} ${y + h * 0.22} ${cx - neckW / 2} ${y + h * 0.16} L ${cx - neckW / 2} ${y + h * 0.06}
      L ${cx + neckW / 2} ${y + h * 0.06} L ${cx + neckW / 2} ${y + h * 0.16} Q ${x + w} ${y + h * 0.22} ${x + w} ${y + h * 0.34}
      L ${x + w} ${y + h - 14 * scale} Q ${x + w} ${y + h} ${x + w - 14 * scale} ${y + h} L ${x + 14 * scale} ${y + h}
      Q ${x} ${y + h} ${x} ${y + h - 14 * scale} Z" fill="${paint('body', '#fff')}"/>
    <rect x="${cx - neckW / 2 - 4 * scale}" y="${y}" width="${neckW + 8 * scale}" height="${h * 0.07}" rx="${4 * scale}" fill="${paint('cap', '#fff')}"/>
    ${fill ? `<rect x="${x}" y="${y + h * 0.45}" width="${w}" height="${h * 0.3}" fill="#f4efe2"/>
    <rect x="${x + w * 0.12}" y="${y + h * 0.5}" width="${w * 0.76}" height="${h * 0.05}" fill="#b3261e"/>
    <rect x="${x + w * 0.12}" y="${y + h * 0.6}" width="${w * 0.5}" height="${h * 0.025}" fill="#333"/>
    <rect x="${x + w * 0.12}" y="${y + h * 0.65}" width="${w * 0.62}" height="${h * 0.025}" fill="#333"/>` : ''}
  </svg>`;
}

export interface SyntheticPhoto {
  /** The photo, JPEG. */
  jpeg: Buffer;
  /** The object's true opacity, one byte a pixel. */
  truth: Buffer;
  width: number;
  height: number;
}

/** A photo of a bottle over a background, with the bottle's exact mask. */
export async function productPhoto(kind: BackgroundKind, width = 1200, height = 900, seed = 1): Promise<SyntheticPhoto> {
  const scale = (height / 420) * 0.8;
  const cx = width / 2;
  const cy = height / 2;
  const object = await sharp(Buffer.from(bottleSvg(width, height, cx, cy, scale))).png().toBuffer();
  const texture = await noiseImage(width, height, seed + 7, { amplitude: 0.15, base: [128, 128, 128] });
  // Fine surface texture on the object: soft-light a grain layer, clipped to the object's alpha.
  const texturedObject = await sharp(object)
    .composite([{ input: await sharp(texture, { raw: { width, height, channels: 3 } }).png().toBuffer(), blend: 'soft-light' }])
    .png()
    .toBuffer();
  const truth = await sharp(Buffer.from(bottleSvg(width, height, cx, cy, scale, false))).extractChannel(3).raw().toBuffer();
  const bg = await background(kind, width, height, seed);
  const jpeg = await sharp(bg, { raw: { width, height, channels: 3 } })
    .composite([{ input: await withAlpha(await sharp(texturedObject).removeAlpha().raw().toBuffer(), truth, width, height) }])
    .jpeg({ quality: 90 })
    .toBuffer();
  return { jpeg, truth, width, height };
}

/** RGB pixels plus a separate alpha plane, as PNG. */
export async function withAlpha(rgb: Buffer, alpha: Buffer, width: number, height: number): Promise<Buffer> {
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .joinChannel(alpha, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}

/** Intersection over union of two masks (opacity ≥ 128 counts as inside). */
export function maskIoU(a: Buffer, b: Buffer): number {
  if (a.length !== b.length) throw new Error(`mask sizes differ: ${a.length} vs ${b.length}`);
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! >= 128;
    const y = b[i]! >= 128;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}

/** A white 300×200 JPEG with a red circle and a blue square: flat colours for tracing tests. */
export const shapesJpeg = (): Promise<Buffer> =>
  sharp(
    Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200">
      <rect width="300" height="200" fill="#ffffff"/>
      <circle cx="80" cy="100" r="50" fill="#d02020"/>
      <rect x="170" y="50" width="100" height="100" fill="#2040c0"/></svg>`),
  )
    .jpeg({ quality: 90 })
    .toBuffer();
