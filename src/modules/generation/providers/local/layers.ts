/** Small sharp helpers for building composites from RGBA layers. */
import sharp, { type OverlayOptions, type Sharp } from 'sharp';

export interface Layer {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** The box of pixels whose alpha is over `min`, or null when the layer is empty. */
export function alphaBounds(rgba: Layer, min = 16): { left: number; top: number; width: number; height: number } | null {
  let x0 = rgba.width;
  let y0 = rgba.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < rgba.height; y++) {
    const row = y * rgba.width;
    for (let x = 0; x < rgba.width; x++) {
      if (rgba.data[(row + x) * 4 + 3]! > min) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { left: x0, top: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

export async function toLayer(img: Sharp): Promise<Layer> {
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as Layer['channels'] };
}

export const fromLayer = (l: Layer): Sharp => sharp(l.data, { raw: { width: l.width, height: l.height, channels: l.channels } });

/**
 * An overlay at (left, top) on a canvas, cropped to the canvas (sharp refuses overlays that stick
 * out); null when nothing of it is visible.
 */
export async function placed(layer: Layer, left: number, top: number, canvas: { width: number; height: number }, extra: Partial<OverlayOptions> = {}): Promise<OverlayOptions | null> {
  left = Math.round(left);
  top = Math.round(top);
  const x0 = Math.max(0, -left);
  const y0 = Math.max(0, -top);
  const x1 = Math.min(layer.width, canvas.width - left);
  const y1 = Math.min(layer.height, canvas.height - top);
  if (x1 <= x0 || y1 <= y0) return null;
  const whole = x0 === 0 && y0 === 0 && x1 === layer.width && y1 === layer.height;
  const part = whole ? layer : await toLayer(fromLayer(layer).extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 }));
  return { input: part.data, raw: { width: part.width, height: part.height, channels: part.channels }, left: left + x0, top: top + y0, ...extra };
}

/** RGB + a separate alpha plane → RGBA (two pipelines: sharp drops alpha after a join otherwise). */
export async function joinAlpha(rgb: Buffer, alpha: Buffer, width: number, height: number): Promise<Layer> {
  return toLayer(sharp(rgb, { raw: { width, height, channels: 3 } }).joinChannel(alpha, { raw: { width, height, channels: 1 } }));
}

/** A single-colour layer whose opacity is `alpha` scaled by `opacity`. */
export async function tintedMask(alpha: Buffer, width: number, height: number, colour: { r: number; g: number; b: number }, opacity: number): Promise<Layer> {
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    rgb[i * 3] = colour.r;
    rgb[i * 3 + 1] = colour.g;
    rgb[i * 3 + 2] = colour.b;
  }
  const a = Buffer.alloc(width * height);
  for (let i = 0; i < a.length; i++) a[i] = alpha[i]! * opacity;
  return joinAlpha(rgb, a, width, height);
}

export const svg = (body: string, width: number, height: number): Buffer =>
  Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`);
