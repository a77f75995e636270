/** Helpers every local image function shares: input checks, seeded randomness, sizes, colours. */
import { createHash } from 'node:crypto';
import sharp, { type Sharp } from 'sharp';
import { ProviderError } from '../provider.ts';
import { toLayer, type Layer } from './layers.ts';
import { rng } from './random.ts';

/** Decoding larger inputs than this is refused (uploads are capped well below it). */
export const MAX_INPUT_PIXELS = 50_000_000;

/** An input image as sRGB with alpha, orientation applied, ready to be read as raw RGBA. */
export const rgbaPipeline = (bytes: Buffer): Sharp => sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).rotate().toColourspace('srgb').ensureAlpha();

/** Decodes to raw RGBA (orientation applied), or fails with `invalid_input`. */
export async function decodeRgba(bytes: Buffer): Promise<Layer> {
  try {
    return await toLayer(rgbaPipeline(bytes));
  } catch (err) {
    throw new ProviderError('invalid_input', `the input image cannot be read: ${(err as Error).message}`, { cause: err });
  }
}

export async function imageSize(bytes: Buffer): Promise<{ width: number; height: number; hasAlpha: boolean }> {
  try {
    const meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
    return { width: meta.autoOrient.width, height: meta.autoOrient.height, hasAlpha: meta.hasAlpha };
  } catch (err) {
    throw new ProviderError('invalid_input', `the input image cannot be read: ${(err as Error).message}`, { cause: err });
  }
}

/** Whether an image with an alpha channel really uses it (some pixel is not fully opaque). */
export async function usesAlpha(bytes: Buffer, hasAlpha: boolean): Promise<boolean> {
  return hasAlpha && !(await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).stats()).isOpaque;
}

/** A random source that is the same for the same generation and output index, and differs between them. */
export function variantRandom(generationId: string, index: number): () => number {
  const digest = createHash('sha256').update(`${generationId}:${index}`).digest();
  return rng(digest.readUInt32LE(0));
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length) % items.length]!;
}

/** A canvas of about `megapixels` for an aspect ratio like `16:9` (sides even, long side ≤ 2048). */
export function canvasFor(aspectRatio: string, megapixels = 1.2): { width: number; height: number } {
  const m = /^(\d{1,2}):(\d{1,2})$/.exec(aspectRatio);
  if (!m || Number(m[1]) === 0 || Number(m[2]) === 0) throw new ProviderError('invalid_input', `aspect_ratio must look like 16:9, not ${JSON.stringify(aspectRatio)}`);
  const ratio = Number(m[1]) / Number(m[2]);
  if (ratio < 0.25 || ratio > 4) throw new ProviderError('invalid_input', `aspect_ratio ${aspectRatio} is outside 1:4 … 4:1`);
  let height = Math.sqrt((megapixels * 1e6) / ratio);
  let width = height * ratio;
  const long = Math.max(width, height);
  if (long > 2048) {
    width = (width * 2048) / long;
    height = (height * 2048) / long;
  }
  return { width: Math.round(width / 2) * 2, height: Math.round(height / 2) * 2 };
}

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** `#rgb` or `#rrggbb`; anything else is an `invalid_input`. */
export function parseColour(value: string, field: string): Rgb {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (!m) throw new ProviderError('invalid_input', `${field} must be a colour like #1a2b3c, not ${JSON.stringify(value)}`);
  const hex = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  return { r: parseInt(hex.slice(0, 2), 16), g: parseInt(hex.slice(2, 4), 16), b: parseInt(hex.slice(4, 6), 16) };
}

export const hex = (c: Rgb): string => `#${[c.r, c.g, c.b].map((v) => Math.round(Math.max(0, Math.min(255, v))).toString(16).padStart(2, '0')).join('')}`;

export const mix = (a: Rgb, b: Rgb, t: number): Rgb => ({ r: a.r + (b.r - a.r) * t, g: a.g + (b.g - a.g) * t, b: a.b + (b.b - a.b) * t });

/** Text for SVG: the five XML specials escaped, control characters dropped. */
export function xmlText(s: string): string {
  return s
    // Control characters are not allowed in XML 1.0 text.
    .replace(/\p{Cc}/gu, (c) => (c === '\n' || c === '\t' || c === '\r' ? c : ''))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Throws the signal's reason (the engine aborts on deadline, cancel and shutdown). */
export function checkAbort(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason = signal.reason as { name?: string } | undefined;
  if (reason?.name === 'TimeoutError') throw new ProviderError('timeout', 'the deadline passed', { cause: reason });
  throw new ProviderError('cancelled', 'the run was stopped', { cause: reason });
}

/**
 * For work handed to a worker thread whose caller stops waiting when `signal` aborts: registers
 * `onAbort` once and returns resolve/reject that take it off again when the work settles.
 */
export function settleOrAbort<T>(signal: AbortSignal | undefined, onAbort: () => void, resolve: (value: T) => void, reject: (err: Error) => void) {
  signal?.addEventListener('abort', onAbort, { once: true });
  const detach = (): void => signal?.removeEventListener('abort', onAbort);
  return {
    resolve(value: T): void {
      detach();
      resolve(value);
    },
    reject(err: Error): void {
      detach();
      reject(err);
    },
  };
}
