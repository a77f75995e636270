/**
 * Turning untrusted bytes into a stored image. The type comes from the bytes (never the name or the
 * header); the pixel count is read from the header before anything is decoded; decoding then
 * applies the EXIF orientation and re-encodes without metadata (EXIF, GPS, XMP, ICC comments).
 */
import { createHash } from 'node:crypto';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { errors } from '../../platform/http/errors.ts';

export type SniffedType = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'tiff' | 'heic';

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

/** The image type the leading bytes announce, or null for anything else. */
export function sniffImageType(b: Buffer): SniffedType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (b.length >= 6 && ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1'))) return 'gif';
  if (b.length >= 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  if (b.length >= 4 && (b.subarray(0, 4).equals(Buffer.from([0x49, 0x49, 0x2a, 0x00])) || b.subarray(0, 4).equals(Buffer.from([0x4d, 0x4d, 0x00, 0x2a])))) return 'tiff';
  if (b.length >= 12 && b.subarray(4, 8).toString('latin1') === 'ftyp') {
    const brand = b.subarray(8, 12).toString('latin1');
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (HEIC_BRANDS.has(brand)) return 'heic';
  }
  return null;
}

export interface ProcessedImage {
  data: Buffer;
  mimeType: string;
  extension: string;
  width: number;
  height: number;
  sha256: string;
  thumbnail: Buffer;
  /** What was learnt from the original, kept in the asset's metadata. */
  source: { type: SniffedType; width: number; height: number; orientation: number | undefined };
}

const THUMB_SIZE = 320;

/** Output encoding per input type: same format where sharp writes it; HEIC becomes JPEG. */
function encode(pipeline: Sharp, type: SniffedType): { pipeline: Sharp; mimeType: string; extension: string } {
  switch (type) {
    case 'png':
      return { pipeline: pipeline.png(), mimeType: 'image/png', extension: 'png' };
    case 'webp':
      return { pipeline: pipeline.webp({ quality: 90 }), mimeType: 'image/webp', extension: 'webp' };
    case 'avif':
      return { pipeline: pipeline.avif({ quality: 70, effort: 2 }), mimeType: 'image/avif', extension: 'avif' };
    case 'gif':
      return { pipeline: pipeline.gif(), mimeType: 'image/gif', extension: 'gif' };
    case 'tiff':
      return { pipeline: pipeline.tiff(), mimeType: 'image/tiff', extension: 'tiff' };
    default:
      return { pipeline: pipeline.jpeg({ quality: 90 }), mimeType: 'image/jpeg', extension: 'jpg' };
  }
}

export async function processImage(input: Buffer, opts: { maxPixels: number }): Promise<ProcessedImage> {
  const type = sniffImageType(input);
  if (!type) throw errors.unsupportedMediaType('The file is not an image of a supported type (JPEG, PNG, WebP, AVIF, GIF, TIFF, HEIC).');

  // metadata() reads the header only: a decompression bomb is refused before any pixel is decoded.
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw errors.unsupportedMediaType(`The file looks like ${type.toUpperCase()} but its header cannot be read.`);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width < 1 || height < 1) throw errors.unsupportedMediaType('The image has no dimensions.');
  if (width * height > opts.maxPixels) {
    throw errors.payloadTooLarge(`The image is ${width}×${height} pixels; the limit is ${opts.maxPixels} pixels.`);
  }

  // failOn 'truncated' refuses cut-off files instead of storing a half-grey image.
  const base = sharp(input, { limitInputPixels: opts.maxPixels, failOn: 'truncated' }).rotate();
  const out = encode(base.clone(), type);
  try {
    const [main, thumbnail] = await Promise.all([
      out.pipeline.toBuffer({ resolveWithObject: true }),
      base.clone().resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 75 }).toBuffer(),
    ]);
    return {
      data: main.data,
      mimeType: out.mimeType,
      extension: out.extension,
      width: main.info.width,
      height: main.info.height,
      sha256: createHash('sha256').update(main.data).digest('hex'),
      thumbnail,
      source: { type, width, height, orientation: meta.orientation },
    };
  } catch {
    throw errors.unsupportedMediaType(`The ${type.toUpperCase()} image is damaged or truncated and cannot be decoded.`);
  }
}

/**
 * A display name safe to store and to put in a Content-Disposition: the last path segment only, no
 * control characters, at most 200 characters. It is never used to build a storage key.
 */
export function sanitizeFilename(raw: string | undefined, extension: string): string {
  const last = (raw ?? '').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = last.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '_').replace(/^\.+/, '').trim().slice(0, 200);
  return cleaned || `image.${extension}`;
}
