/**
 * Turning an untrusted file into a stored image. The type comes from the bytes (never the name or
 * the header); the pixel count is read from the header before anything is decoded. JPEG and PNG
 * without an EXIF rotation keep their bytes: metadata is cut out segment by segment
 * (strip-metadata.ts), so the stored pixels are the uploaded ones and nothing is re-encoded. Other
 * formats, and rotated photos, are decoded with the orientation applied and re-encoded without
 * metadata. The thumbnail is always decoded from the file, which also proves the file decodes.
 * sharp reads and writes files, never whole Buffers, so memory stays near the decoder's own needs.
 */
import sharp, { type Metadata, type Sharp } from 'sharp';
import { errors } from '../../platform/http/errors.ts';
import { thumbnailOf } from './files.ts';
import { DamagedImageError, metadataFreeRanges, rangesLength, type KeptRange } from './strip-metadata.ts';

// Every upload is a different image: libvips' operation cache would only hold memory.
sharp.cache(false);

export type SniffedType = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'tiff' | 'heic';

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

/**
 * Whether this libvips can decode HEVC-coded HEIF. sharp's prebuilt binaries carry libheif with the
 * AV1 decoder only (patents), and libvips lists `.heic` among heifload's suffixes only when an HEVC
 * decoder is present; a sharp built against a system libvips with libde265 decodes HEIC.
 */
export const canDecodeHeic = (sharp.format.heif?.input.fileSuffix ?? []).includes('.heic');

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

export interface PreparedImage {
  /** The bytes to store: these ranges of this file. */
  bytes: { path: string; ranges: KeptRange[]; size: number };
  mimeType: string;
  extension: string;
  width: number;
  height: number;
  /** Still being made when a kept-bytes image is returned, so storing the original overlaps it. */
  thumbnail: Promise<Buffer>;
  /** What was learnt from the original, kept in the asset's metadata. */
  source: { type: SniffedType; width: number; height: number; orientation: number | undefined; stored: 'metadata_cut' | 're_encoded' };
}

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

const damaged = (type: SniffedType) => errors.unsupportedMediaType(`The ${type.toUpperCase()} image is damaged or truncated and cannot be decoded.`);

/** Where prepareImage writes a re-encoded image: next to the upload, for the caller to remove. */
export const reencodedPath = (uploadPath: string) => `${uploadPath}.out`;

/** Checks and prepares the uploaded file; a re-encoded image goes to `reencodedPath(file.path)`. */
export async function prepareImage(file: { path: string; head: Buffer; size: number }, opts: { maxPixels: number }): Promise<PreparedImage> {
  const type = sniffImageType(file.head);
  if (!type) throw errors.unsupportedMediaType('The file is not an image of a supported type (JPEG, PNG, WebP, AVIF, GIF, TIFF).');
  if (type === 'heic' && !canDecodeHeic) {
    throw errors.unsupportedMediaType('HEIC/HEIF (HEVC) images cannot be decoded by this server; convert the photo to JPEG and upload that.');
  }

  // metadata() reads the header only: a decompression bomb is refused before any pixel is decoded.
  let meta: Metadata;
  try {
    meta = await sharp(file.path, { limitInputPixels: false }).metadata();
  } catch {
    throw errors.unsupportedMediaType(`The file looks like ${type.toUpperCase()} but its header cannot be read.`);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width < 1 || height < 1) throw errors.unsupportedMediaType('The image has no dimensions.');
  if (width * height > opts.maxPixels) {
    throw errors.payloadTooLarge(`The image is ${width}×${height} pixels; the limit is ${opts.maxPixels} pixels.`);
  }

  // failOn 'truncated' refuses cut-off files instead of storing a half-grey image. A decoder error
  // means the file is damaged; file-system errors (a full disk) stay 500s.
  const decode = () => sharp(file.path, { limitInputPixels: opts.maxPixels, failOn: 'truncated' }).rotate();
  const decoded = <T,>(p: Promise<T>): Promise<T> =>
    p.catch(() => {
      throw damaged(type);
    });
  // JPEG and WebP shrink on load, so the thumbnail decodes a fraction of the pixels.
  const thumbnail = decoded(thumbnailOf(decode()));
  thumbnail.catch(() => {}); // awaited below; an early failure must not be an unhandled rejection meanwhile
  const source = { type, width, height, orientation: meta.orientation };

  if ((type === 'jpeg' || type === 'png') && (meta.orientation ?? 1) === 1) {
    const ranges = await metadataFreeRanges(file.path, type).catch((err: unknown) => {
      throw err instanceof DamagedImageError ? damaged(type) : err;
    });
    return {
      bytes: { path: file.path, ranges, size: rangesLength(ranges) },
      mimeType: `image/${type}`,
      extension: type === 'jpeg' ? 'jpg' : 'png',
      width,
      height,
      thumbnail,
      source: { ...source, stored: 'metadata_cut' },
    };
  }
  const out = encode(decode(), type);
  const outPath = reencodedPath(file.path);
  // Both settle before anything is thrown, so no write to `outPath` is still running when the
  // caller removes it.
  const [written, thumbDone] = await Promise.allSettled([decoded(out.pipeline.toFile(outPath)), thumbnail]);
  if (written.status === 'rejected') throw written.reason;
  if (thumbDone.status === 'rejected') throw thumbDone.reason;
  const info = written.value;
  return {
    bytes: { path: outPath, ranges: [{ start: 0, end: info.size }], size: info.size },
    mimeType: out.mimeType,
    extension: out.extension,
    width: info.width,
    height: info.height,
    thumbnail,
    source: { ...source, stored: 're_encoded' },
  };
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
