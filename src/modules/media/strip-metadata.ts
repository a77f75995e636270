/**
 * Metadata removal without re-encoding, for JPEG and PNG: the file is walked segment by segment (JPEG
 * markers, PNG chunks) and the result is the list of byte ranges to keep. Copying those ranges gives
 * the same pixels, bit for bit, without EXIF (GPS, camera, embedded thumbnail), XMP, IPTC, comments,
 * MPF secondary images or anything after the end of the image (phones append videos there).
 * Kept: what decoders need to show the same colours — JPEG's JFIF header (without a thumbnail),
 * ICC profile and Adobe colour-transform segments; PNG's critical chunks and the ancillary chunks
 * that affect rendering. A file that ends before its end marker is reported as truncated.
 * Files are read in blocks, never whole.
 */
import fs from 'node:fs/promises';

/** Half-open byte range [start, end). */
export interface KeptRange {
  start: number;
  end: number;
}

export class DamagedImageError extends Error {}

const BLOCK = 256 * 1024;

/** Random access over a file through one cached block. */
function blockReader(fh: fs.FileHandle, size: number) {
  let blockStart = 0;
  let block = Buffer.alloc(0);
  async function read(pos: number, n: number): Promise<Buffer> {
    if (pos < 0 || pos + n > size) throw new DamagedImageError('truncated');
    if (pos < blockStart || pos + n > blockStart + block.length) {
      const buf = Buffer.alloc(Math.min(Math.max(BLOCK, n), size - pos));
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      blockStart = pos;
      block = buf.subarray(0, bytesRead);
      if (bytesRead < n) throw new DamagedImageError('truncated');
    }
    return block.subarray(pos - blockStart, pos - blockStart + n);
  }
  /**
   * Where the entropy-coded data starting at `from` ends: the next 0xFF that is not a stuffed 0x00,
   * a restart marker or a fill byte. Searches each block synchronously (this is the hot loop).
   */
  async function endOfEntropyData(from: number): Promise<number> {
    for (let pos = from; ; ) {
      if (pos + 1 >= size) throw new DamagedImageError('truncated');
      if (pos < blockStart || pos + 1 >= blockStart + block.length) await read(pos, Math.min(BLOCK, size - pos));
      const last = block.length - 1; // a marker needs its second byte in this block
      let i = pos - blockStart;
      for (;;) {
        i = block.indexOf(0xff, i);
        if (i < 0 || i >= last) break;
        const next = block[i + 1]!;
        if (next !== 0x00 && next !== 0xff && (next < 0xd0 || next > 0xd7)) return blockStart + i;
        i += 1;
      }
      pos = blockStart + (i === last ? last : block.length);
    }
  }
  return { read, endOfEntropyData };
}

function pushRange(ranges: KeptRange[], start: number, end: number): void {
  const last = ranges.at(-1);
  if (last && last.end === start) last.end = end;
  else if (end > start) ranges.push({ start, end });
}

const startsWith = (b: Buffer, text: string) => b.subarray(0, text.length).toString('latin1') === text;

/** APPn and COM segments go, except the three that change how the pixels are decoded or shown. */
function keepJpegSegment(marker: number, length: number, payload: Buffer): boolean {
  if (marker === 0xfe) return false;
  if (marker < 0xe0 || marker > 0xef) return true;
  if (marker === 0xe0) return startsWith(payload, 'JFIF\0') && length === 16; // 16 = no thumbnail
  if (marker === 0xe2) return startsWith(payload, 'ICC_PROFILE\0');
  if (marker === 0xee) return startsWith(payload, 'Adobe');
  return false;
}

async function jpegRanges(fh: fs.FileHandle, size: number): Promise<KeptRange[]> {
  const r = blockReader(fh, size);
  const soi = await r.read(0, 2);
  if (soi[0] !== 0xff || soi[1] !== 0xd8) throw new DamagedImageError('no start of image');
  const ranges: KeptRange[] = [];
  pushRange(ranges, 0, 2);
  let pos = 2;
  for (;;) {
    if ((await r.read(pos, 1))[0] !== 0xff) throw new DamagedImageError('expected a marker');
    let marker = (await r.read(pos + 1, 1))[0]!;
    while (marker === 0xff) marker = (await r.read(++pos + 1, 1))[0]!; // fill bytes
    if (marker === 0xd9) {
      pushRange(ranges, pos, pos + 2);
      return ranges; // whatever follows the end of image is dropped
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      pushRange(ranges, pos, pos + 2);
      pos += 2;
      continue;
    }
    if (marker === 0x00 || marker === 0xd8) throw new DamagedImageError('unexpected marker');
    const length = (await r.read(pos + 2, 2)).readUInt16BE(0);
    if (length < 2) throw new DamagedImageError('bad segment length');
    const end = pos + 2 + length;
    if (end > size) throw new DamagedImageError('truncated');
    const payload = await r.read(pos + 4, Math.min(16, length - 2));
    if (keepJpegSegment(marker, length, payload)) pushRange(ranges, pos, end);
    pos = end;
    if (marker !== 0xda) continue;
    // Entropy-coded data runs to the next marker.
    const scanStart = pos;
    pos = await r.endOfEntropyData(pos);
    pushRange(ranges, scanStart, pos);
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Ancillary chunks that change what is shown (transparency, colour, gamma, animation); the rest go. */
const PNG_ANCILLARY_KEPT = new Set(['tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'bKGD', 'pHYs', 'cICP', 'mDCV', 'cLLI', 'acTL', 'fcTL', 'fdAT']);

async function pngRanges(fh: fs.FileHandle, size: number): Promise<KeptRange[]> {
  const r = blockReader(fh, size);
  if (!(await r.read(0, 8)).equals(PNG_SIGNATURE)) throw new DamagedImageError('no PNG signature');
  const ranges: KeptRange[] = [];
  pushRange(ranges, 0, 8);
  for (let pos = 8; ; ) {
    const header = await r.read(pos, 8);
    const length = header.readUInt32BE(0);
    const type = header.subarray(4, 8).toString('latin1');
    const end = pos + 12 + length;
    if (end > size) throw new DamagedImageError('truncated');
    const critical = type.charCodeAt(0) < 0x61; // upper-case first letter
    if (critical || PNG_ANCILLARY_KEPT.has(type)) pushRange(ranges, pos, end);
    if (type === 'IEND') return ranges;
    pos = end;
  }
}

/** The ranges of `file` that make the same image without metadata. Throws DamagedImageError. */
export async function metadataFreeRanges(file: string, type: 'jpeg' | 'png'): Promise<KeptRange[]> {
  const fh = await fs.open(file, 'r');
  try {
    const { size } = await fh.stat();
    return await (type === 'jpeg' ? jpegRanges(fh, size) : pngRanges(fh, size));
  } finally {
    await fh.close();
  }
}

export const rangesLength = (ranges: KeptRange[]) => ranges.reduce((n, r) => n + r.end - r.start, 0);
