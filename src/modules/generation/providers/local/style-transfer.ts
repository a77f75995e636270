/**
 * style_conversion with a reference image (decision 046): the reference's look is carried onto the
 * input in two real steps. Colour: Reinhard-style statistics transfer in CIE Lab — each channel of
 * the input is shifted and scaled to the reference's mean and standard deviation, blended by
 * `strength`, so a warm, muted reference makes the photo warm and muted without moving its content.
 * Texture: the reference's fine detail (its grey level minus a blur of it: paper, canvas, grain)
 * is laid over the result with soft-light at a low opacity. Pure sharp + arithmetic; no network.
 */
import sharp from 'sharp';
import { MAX_INPUT_PIXELS } from './common.ts';

/** Works on at most this many pixels a side (as the looks in styles.ts do). */
const MAX_SIDE = 2048;
/** The reference's statistics are taken from a copy this small: enough for means and spreads. */
const STATS_SIDE = 256;

export interface LabStats {
  mean: [number, number, number];
  std: [number, number, number];
}

const SRGB_TO_LINEAR = new Float64Array(256).map((_, v) => {
  const s = v / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
});
const WHITE = [0.95047, 1, 1.08883] as const;
const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
const fInv = (t: number) => (t ** 3 > 0.008856 ? t ** 3 : (t - 16 / 116) / 7.787);
const toByte = (lin: number) => {
  const s = lin <= 0.0031308 ? 12.92 * lin : 1.055 * Math.max(lin, 0) ** (1 / 2.4) - 0.055;
  return Math.min(255, Math.max(0, Math.round(s * 255)));
};

/** Interleaved RGB bytes → interleaved L, a, b floats (sRGB, D65). */
export function rgbToLab(rgb: Uint8Array): Float32Array {
  const lab = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i += 3) {
    const r = SRGB_TO_LINEAR[rgb[i]!]!;
    const g = SRGB_TO_LINEAR[rgb[i + 1]!]!;
    const b = SRGB_TO_LINEAR[rgb[i + 2]!]!;
    const fx = f((0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / WHITE[0]);
    const fy = f(0.2126729 * r + 0.7151522 * g + 0.072175 * b);
    const fz = f((0.0193339 * r + 0.119192 * g + 0.9503041 * b) / WHITE[2]);
    lab[i] = 116 * fy - 16;
    lab[i + 1] = 500 * (fx - fy);
    lab[i + 2] = 200 * (fy - fz);
  }
  return lab;
}

/** Interleaved L, a, b floats → interleaved RGB bytes (clamped to the sRGB gamut). */
export function labToRgb(lab: Float32Array): Buffer {
  const rgb = Buffer.allocUnsafe(lab.length);
  for (let i = 0; i < lab.length; i += 3) {
    const fy = (lab[i]! + 16) / 116;
    const x = WHITE[0] * fInv(fy + lab[i + 1]! / 500);
    const y = fInv(fy);
    const z = WHITE[2] * fInv(fy - lab[i + 2]! / 200);
    rgb[i] = toByte(3.2404542 * x - 1.5371385 * y - 0.4985314 * z);
    rgb[i + 1] = toByte(-0.969266 * x + 1.8760108 * y + 0.041556 * z);
    rgb[i + 2] = toByte(0.0556434 * x - 0.2040259 * y + 1.0572252 * z);
  }
  return rgb;
}

export function labStats(lab: Float32Array): LabStats {
  const n = lab.length / 3;
  const sum = [0, 0, 0];
  const sq = [0, 0, 0];
  for (let i = 0; i < lab.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      sum[c]! += lab[i + c]!;
      sq[c]! += lab[i + c]! ** 2;
    }
  }
  const mean = sum.map((s) => s / n) as [number, number, number];
  const std = mean.map((m, c) => Math.sqrt(Math.max(sq[c]! / n - m * m, 0))) as [number, number, number];
  return { mean, std };
}

/** Moves `lab` (in place) toward the reference's statistics by `strength` (0 = unchanged, 1 = full). */
export function transferLabStats(lab: Float32Array, from: LabStats, to: LabStats, strength: number): Float32Array {
  // A flat channel (σ≈0) is shifted only: scaling noise up to the reference's spread would invent detail.
  const scale = from.std.map((s, c) => (s > 1e-3 ? to.std[c]! / s : 1));
  for (let i = 0; i < lab.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      const v = lab[i + c]!;
      const moved = (v - from.mean[c]!) * scale[c]! + to.mean[c]!;
      lab[i + c] = v + strength * (moved - v);
    }
  }
  return lab;
}

async function rgbOf(bytes: Buffer, fit: (w: number, h: number) => { width: number; height: number }) {
  const meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).rotate().metadata();
  const w0 = meta.autoOrient?.width ?? meta.width ?? 1;
  const h0 = meta.autoOrient?.height ?? meta.height ?? 1;
  const { width, height } = fit(w0, h0);
  const data = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS })
    .rotate()
    .toColourspace('srgb')
    .flatten({ background: '#ffffff' })
    .resize(width, height, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer();
  return { data, width, height };
}

const within = (side: number) => (w: number, h: number) => {
  const k = Math.min(1, side / Math.max(w, h));
  return { width: Math.max(8, Math.round(w * k)), height: Math.max(8, Math.round(h * k)) };
};

/** The reference's fine detail at the output's size, as a soft-light layer of the given opacity. */
async function textureLayer(reference: Buffer, width: number, height: number, opacity: number): Promise<Buffer> {
  const grey = await sharp(reference, { limitInputPixels: MAX_INPUT_PIXELS }).rotate().resize(width, height, { fit: 'cover' }).greyscale().raw().toBuffer();
  const blurred = await sharp(grey, { raw: { width, height, channels: 1 } }).blur(3).raw().toBuffer();
  const alpha = Math.round(255 * opacity);
  const layer = Buffer.allocUnsafe(width * height * 4);
  for (let i = 0, o = 0; i < grey.length; i++, o += 4) {
    const v = Math.min(255, Math.max(0, 128 + 2 * (grey[i]! - blurred[i]!)));
    layer[o] = layer[o + 1] = layer[o + 2] = v;
    layer[o + 3] = alpha;
  }
  return layer;
}

/**
 * The input with the reference's colours and texture. `strength` (0–1) weighs the colour transfer;
 * the texture is a quarter of it in opacity, enough to feel the surface without hiding the photo.
 */
export async function transferLook(input: Buffer, reference: Buffer, strength: number): Promise<{ jpeg: Buffer; width: number; height: number }> {
  const src = await rgbOf(input, within(MAX_SIDE));
  const ref = await rgbOf(reference, within(STATS_SIDE));
  const lab = rgbToLab(src.data);
  const moved = labToRgb(transferLabStats(lab, labStats(lab), labStats(rgbToLab(ref.data)), strength));
  const texture = await textureLayer(reference, src.width, src.height, 0.25 * strength);
  const { data, info } = await sharp(moved, { raw: { width: src.width, height: src.height, channels: 3 } })
    .composite([{ input: texture, raw: { width: src.width, height: src.height, channels: 4 }, blend: 'soft-light' }])
    .jpeg({ quality: 90, mozjpeg: true })
    .toBuffer({ resolveWithObject: true });
  return { jpeg: data, width: info.width, height: info.height };
}
