/**
 * Cutting metadata out of JPEG and PNG files without re-encoding. Real: the walker on files in a
 * temp dir, sharp to make the images and to decode the results; nothing stands in.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DamagedImageError, metadataFreeRanges, type KeptRange } from './strip-metadata.ts';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-strip-'));
});
afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

let n = 0;
async function strip(data: Buffer, type: 'jpeg' | 'png'): Promise<Buffer> {
  const file = path.join(dir, `${++n}.bin`);
  await fs.writeFile(file, data);
  const ranges: KeptRange[] = await metadataFreeRanges(file, type);
  return Buffer.concat(ranges.map((r) => data.subarray(r.start, r.end)));
}

const pixels = (b: Buffer) => sharp(b).raw().toBuffer();

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** Noise, so the entropy-coded data is full of stuffed 0xFF bytes. */
async function noise(width: number, height: number): Promise<Sharp> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

describe('JPEG', () => {
  it('drops EXIF, GPS, XMP, comments, IPTC and what follows the end, keeping the pixels bit for bit', async () => {
    const base = await (await noise(64, 48))
      .jpeg({ quality: 90 })
      .withExif({ IFD0: { Make: 'TestCam', Model: 'SecretModel' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 41/1 0/1' } })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">SecretXmp</rdf:RDF></x:xmpmeta>')
      .toBuffer();
    // A comment and an IPTC block after SOI, and a "motion photo" appended after EOI, as phones do.
    const hostile = Buffer.concat([
      base.subarray(0, 2),
      segment(0xfe, Buffer.from('SecretComment')),
      segment(0xed, Buffer.from('Photoshop 3.0\0SecretIptc')),
      base.subarray(2),
      Buffer.from('ftypmp42 SecretVideo'),
    ]);
    const out = await strip(hostile, 'jpeg');
    for (const secret of ['SecretModel', 'SecretXmp', 'SecretComment', 'SecretIptc', 'SecretVideo', 'Exif\0']) {
      expect(hostile.includes(Buffer.from(secret)), secret).toBe(true);
      expect(out.includes(Buffer.from(secret)), secret).toBe(false);
    }
    const meta = await sharp(out).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 64, height: 48 });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(await pixels(out)).toEqual(await pixels(hostile));
    expect(out.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
  });

  it('keeps the ICC profile, and progressive scans with their tables', async () => {
    const p3 = await (await noise(40, 40)).jpeg({ progressive: true }).withIccProfile('p3').withExif({ IFD0: { Model: 'SecretModel' } }).toBuffer();
    const out = await strip(p3, 'jpeg');
    const meta = await sharp(out).metadata();
    expect(meta.hasProfile).toBe(true);
    expect(meta.isProgressive).toBe(true);
    expect(meta.exif).toBeUndefined();
    expect(await pixels(out)).toEqual(await pixels(p3));
  });

  it('reports a file cut short or not a JPEG as damaged', async () => {
    const jpeg = await (await noise(64, 64)).jpeg().toBuffer();
    for (const bad of [jpeg.subarray(0, jpeg.length - 2), jpeg.subarray(0, Math.floor(jpeg.length / 2)), jpeg.subarray(0, 30), Buffer.from('not a jpeg')]) {
      await expect(strip(bad, 'jpeg')).rejects.toBeInstanceOf(DamagedImageError);
    }
  });
});

describe('PNG', () => {
  it('drops text, EXIF and time chunks and what follows IEND, keeping transparency and pixels', async () => {
    const withAlpha = await sharp({ create: { width: 30, height: 20, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.5 } } })
      .png({ palette: true })
      .withExif({ IFD0: { Model: 'SecretModel' } })
      .withMetadata()
      .toBuffer();
    const iend = withAlpha.length - 12;
    const text = (type: string, body: string) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(body.length);
      return Buffer.concat([len, Buffer.from(type + body, 'latin1'), Buffer.alloc(4)]);
    };
    const hostile = Buffer.concat([
      withAlpha.subarray(0, iend),
      text('tEXt', 'Comment\0SecretText'),
      text('iTXt', 'XML:com.adobe.xmp\0\0\0\0\0SecretXmp'),
      text('tIME', '\x07\xe8\x01\x01\x00\x00\x00'),
      text('prVt', 'SecretPrivate'),
      withAlpha.subarray(iend),
      Buffer.from('SecretTrailer'),
    ]);
    const out = await strip(hostile, 'png');
    for (const secret of ['SecretText', 'SecretXmp', 'SecretPrivate', 'SecretTrailer', 'tIME']) {
      expect(hostile.includes(Buffer.from(secret)), secret).toBe(true);
      expect(out.includes(Buffer.from(secret)), secret).toBe(false);
    }
    expect(out.includes(Buffer.from('tRNS'))).toBe(true);
    const meta = await sharp(out).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 30, height: 20, hasAlpha: true });
    expect(meta.exif).toBeUndefined();
    expect(await pixels(out)).toEqual(await pixels(withAlpha));
  });

  it('reports a PNG cut inside a chunk or without IEND as damaged', async () => {
    const png = await (await noise(32, 32)).png().toBuffer();
    for (const bad of [png.subarray(0, png.length - 12), png.subarray(0, 40), png.subarray(0, 4)]) {
      await expect(strip(bad, 'png')).rejects.toBeInstanceOf(DamagedImageError);
    }
  });
});
