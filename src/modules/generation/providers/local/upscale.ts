/**
 * Upscaling 2× or 4×, two ways (decision 111):
 * - the learned model (super-resolution.ts, an RDN network run in a worker thread) when one is
 *   given and the input is at most MODEL_MAX_INPUT_PIXELS: on down-then-up pairs of photos it is
 *   closer to the original than Lanczos on PSNR and SSIM (by ~3.4 dB at 2×, ~0.6 dB at 4×);
 * - Lanczos-3 resampling with sharp and a mild unsharp mask so edges do not look soft (at 2× applied
 *   before the enlargement, at a quarter of the pixels; at 4× after it: decision 107): the fast
 *   path (a tenth of the model's time or less), for larger inputs and when no model is given.
 * Transparency is enlarged with Lanczos-3 in both cases (the model knows only RGB). The output is
 * capped (long side and pixel count) so one request cannot ask a worker for a gigapixel image.
 */
import sharp, { type Sharp } from 'sharp';
import { ProviderError } from '../provider.ts';
import { imageSize, MAX_INPUT_PIXELS, usesAlpha } from './common.ts';
import type { SuperResolution } from './super-resolution.ts';

export const MAX_OUTPUT_SIDE = 8192;
export const MAX_OUTPUT_PIXELS = 40_000_000;
/**
 * The largest input the model enlarges, by factor: 1024×1024 at 2×, 768×768 at 4×. The model's
 * time grows with the input's pixels, about twice as fast at 4× (measured on a shared 2-core
 * machine: 5.6–11 s a megapixel of input at 2×, 9–20 s at 4×, decision 111), so both limits bound
 * a run at about a dozen seconds there at worst; larger inputs take the Lanczos path.
 */
export const MODEL_MAX_INPUT_PIXELS: Readonly<Record<2 | 4, number>> = { 2: 1_100_000, 4: 600_000 };

export type UpscaleMethod = 'model' | 'lanczos';

export interface UpscaleParams {
  scale: 2 | 4;
  /** Output format; PNG keeps alpha and is lossless, JPEG/WebP are smaller. */
  format?: 'png' | 'jpeg' | 'webp';
  /** Multiplies the sharpening of flat areas and edges (1 = the default, mild). */
  sharpen?: number;
}

export interface UpscaleOptions {
  /** The learned upscaler; without it every input takes the Lanczos path. */
  model?: SuperResolution;
  signal?: AbortSignal;
}

export interface Upscaled {
  bytes: Buffer;
  mimeType: string;
  width: number;
  height: number;
  method: UpscaleMethod;
}

/** Which path an input of this size takes. */
export function upscaleMethod(width: number, height: number, scale: 2 | 4, hasModel: boolean): UpscaleMethod {
  return hasModel && width * height <= MODEL_MAX_INPUT_PIXELS[scale] ? 'model' : 'lanczos';
}

/**
 * The Lanczos path up to encoding. At 2× the sharpening runs before the enlargement, at a quarter of
 * the pixels: sharp applies its sharpen after any resize, so this takes two passes, the first left
 * raw. sharpen() works on lightness in Lab, the costliest step of the whole upscale when done on the
 * enlarged image. Tuned on halved-then-doubled photos to keep the edge energy of sharpening
 * afterwards with sigma 0.8, m1 0.5, m2 1.5 (decision 107). At 4× a sharpen before would need a
 * sigma of 0.3, below where sharpen() changed anything when measured: afterwards, wider, as each
 * edge is spread over more pixels.
 */
async function lanczos(input: Buffer, outW: number, outH: number, scale: 2 | 4, strength: number): Promise<Sharp> {
  if (scale === 4) {
    return sharp(input, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate()
      .resize(outW, outH, { kernel: 'lanczos3', fit: 'fill' })
      .sharpen({ sigma: 1.2, m1: 0.5 * strength, m2: 1.5 * strength });
  }
  const { data, info } = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS })
    .rotate()
    .sharpen({ sigma: 0.5, m1: 0.35 * strength, m2: 1.3 * strength })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).resize(outW, outH, { kernel: 'lanczos3', fit: 'fill' });
}

function encode(pipeline: Sharp, format: 'png' | 'jpeg' | 'webp'): Promise<Buffer> {
  const out = format === 'png' ? pipeline.png({ compressionLevel: 6 }) : format === 'webp' ? pipeline.webp({ quality: 90 }) : pipeline.jpeg({ quality: 92, mozjpeg: true });
  return out.toBuffer();
}

/** The model's enlargement as raw pixels (RGB, or RGBA with the alpha enlarged by Lanczos-3). */
async function modelPixels(input: Buffer, scale: 2 | 4, transparent: boolean, model: SuperResolution, signal?: AbortSignal): Promise<{ data: Buffer; channels: 3 | 4 }> {
  const decoded = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).rotate().toColourspace('srgb');
  const { data: rgb, info } = await decoded.clone().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const outW = info.width * scale;
  const outH = info.height * scale;
  const enlarged = await model.enlarge(rgb, info.width, info.height, scale, signal);
  if (!transparent) return { data: enlarged, channels: 3 };
  const alpha = await decoded.clone().ensureAlpha().extractChannel(3).resize(outW, outH, { kernel: 'lanczos3', fit: 'fill' }).raw().toBuffer();
  const data = await sharp(enlarged, { raw: { width: outW, height: outH, channels: 3 } })
    .joinChannel(alpha, { raw: { width: outW, height: outH, channels: 1 } })
    .raw()
    .toBuffer();
  return { data, channels: 4 };
}

/**
 * One enlargement, encoded once per entry of `sharpen` (variants differ only in sharpening, so the
 * model runs once whatever their number).
 */
export async function upscaleVariants(input: Buffer, params: Omit<UpscaleParams, 'sharpen'>, sharpen: number[], opts: UpscaleOptions = {}): Promise<Upscaled[]> {
  const { width, height, hasAlpha } = await imageSize(input);
  const outW = width * params.scale;
  const outH = height * params.scale;
  if (Math.max(outW, outH) > MAX_OUTPUT_SIDE || outW * outH > MAX_OUTPUT_PIXELS) {
    throw new ProviderError(
      'invalid_input',
      `upscaling ${width}×${height} by ${params.scale} gives ${outW}×${outH}, over the limit of ${MAX_OUTPUT_SIDE} px a side and ${MAX_OUTPUT_PIXELS / 1e6} megapixels`,
    );
  }
  // Transparency that is really used needs PNG; an alpha channel that is all opaque does not.
  const transparent = await usesAlpha(input, hasAlpha);
  const format = params.format ?? (transparent ? 'png' : 'jpeg');
  const method = upscaleMethod(width, height, params.scale, Boolean(opts.model));
  const result = (bytes: Buffer): Upscaled => ({ bytes, mimeType: `image/${format}`, width: outW, height: outH, method });

  if (method === 'lanczos') return Promise.all(sharpen.map(async (s) => result(await encode(await lanczos(input, outW, outH, params.scale, s), format))));
  // Extra sharpening of the model's output grows with the factor: a 4× enlargement spreads each edge over more pixels.
  const sigma = params.scale === 4 ? 1.2 : 0.8;
  const px = await modelPixels(input, params.scale, transparent, opts.model!, opts.signal);
  const raw = { raw: { width: outW, height: outH, channels: px.channels } };
  // The model's edges are already crisp: the default (1) adds no unsharp mask, more adds the excess.
  return Promise.all(sharpen.map(async (s) => result(await encode(s > 1 ? sharp(px.data, raw).sharpen({ sigma, m1: 0.5 * (s - 1), m2: 1.5 * (s - 1) }) : sharp(px.data, raw), format))));
}

export async function upscale(input: Buffer, params: UpscaleParams, opts: UpscaleOptions = {}): Promise<Upscaled> {
  const [only] = await upscaleVariants(input, params, [params.sharpen ?? 1], opts);
  return only!;
}
