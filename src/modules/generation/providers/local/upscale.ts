/**
 * Upscaling 2× or 4× with sharp: Lanczos-3 resampling, then a mild unsharp mask so edges do not
 * look soft. The output is capped (long side and pixel count) so one request cannot ask a worker
 * for a gigapixel image.
 */
import sharp from 'sharp';
import { ProviderError } from '../provider.ts';
import { imageSize, MAX_INPUT_PIXELS, usesAlpha } from './common.ts';

export const MAX_OUTPUT_SIDE = 8192;
export const MAX_OUTPUT_PIXELS = 40_000_000;

export interface UpscaleParams {
  scale: 2 | 4;
  /** Output format; PNG keeps alpha and is lossless, JPEG/WebP are smaller. */
  format?: 'png' | 'jpeg' | 'webp';
  /** Multiplies the sharpening of flat areas and edges (1 = the default, mild). */
  sharpen?: number;
}

export async function upscale(input: Buffer, params: UpscaleParams): Promise<{ bytes: Buffer; mimeType: string; width: number; height: number }> {
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
  // Sharpening grows with the factor: a 4× enlargement spreads each edge over more pixels.
  const sigma = params.scale === 4 ? 1.2 : 0.8;
  let pipeline = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS })
    .rotate()
    .resize(outW, outH, { kernel: 'lanczos3', fit: 'fill' })
    .sharpen({ sigma, m1: 0.5 * (params.sharpen ?? 1), m2: 1.5 * (params.sharpen ?? 1) });
  pipeline = format === 'png' ? pipeline.png({ compressionLevel: 6 }) : format === 'webp' ? pipeline.webp({ quality: 90 }) : pipeline.jpeg({ quality: 92, mozjpeg: true });
  const bytes = await pipeline.toBuffer();
  return { bytes, mimeType: `image/${format}`, width: outW, height: outH };
}
