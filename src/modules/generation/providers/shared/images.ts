/** Small helpers the external adapters share for input and output images. */
import { ProviderError, type ProviderImage, type ProviderOutput } from '../provider.ts';

/** The image type from its first bytes: a provider's Content-Type header is not trusted. */
export function sniffImageType(bytes: Buffer): ProviderOutput['mimeType'] | undefined {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  const head = bytes.subarray(0, 256).toString('utf8').trimStart();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'image/svg+xml';
  return undefined;
}

/** An output as the engine wants it; bytes that are no image are the provider's failure. */
export function toOutput(bytes: Buffer, provider: string): ProviderOutput {
  const mimeType = sniffImageType(bytes);
  if (!mimeType) throw new ProviderError('provider_error', `${provider} returned a file that is not a PNG, JPEG, WebP or SVG image.`);
  return { bytes, mimeType };
}

/** A file-name extension for an input image sent as a file (multipart part, zip entry). */
export const extensionOf = (mimeType: string, fallback: string) => ({ 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' })[mimeType] ?? fallback;

export const dataUri = (mimeType: string, bytes: Buffer) => `data:${mimeType};base64,${bytes.toString('base64')}`;

/** Input images in the order a single-image model should see them: what the user works on first. */
const roleOrder = ['source', 'product', 'subject', 'template', 'style'];
export function orderedImages(images: ProviderImage[]): ProviderImage[] {
  const rank = (role: string) => {
    const i = roleOrder.indexOf(role);
    return i === -1 ? roleOrder.length : i;
  };
  return [...images].filter((i) => i.role !== 'mask').sort((a, b) => rank(a.role) - rank(b.role));
}

export const maskOf = (images: ProviderImage[]) => images.find((i) => i.role === 'mask');

export const aspectRatios = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3', '4:5', '5:4', '21:9'] as const;
export type AspectRatio = (typeof aspectRatios)[number];

/** The `aspect_ratio` parameter when it is one of the ratios every adapter can map. */
export function aspectRatioOf(params: Record<string, unknown>): AspectRatio | undefined {
  const value = params.aspect_ratio;
  return typeof value === 'string' && (aspectRatios as readonly string[]).includes(value) ? (value as AspectRatio) : undefined;
}

/** Landscape, portrait or square, for services that take a size class rather than a ratio. */
export function orientationOf(ratio: AspectRatio | undefined): 'square' | 'landscape' | 'portrait' {
  if (!ratio) return 'square';
  const [w, h] = ratio.split(':').map(Number) as [number, number];
  return w === h ? 'square' : w > h ? 'landscape' : 'portrait';
}

/** A non-negative integer parameter, or the fallback. */
export function intParam(params: Record<string, unknown>, key: string, fallback: number): number {
  const v = params[key];
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fallback;
}
