/**
 * Media benchmarks, as ratios against sharp alone in the same run:
 * - POST /assets with a 12-megapixel JPEG (sniff, header check, decode, EXIF strip, re-encode,
 *   thumbnail, storage, row) against sharp making the same 320 px WebP thumbnail from the same bytes.
 * - Peak RSS growth while uploading one ~25 MB file (sampled every 5 ms), in a fresh process
 *   (bench/media-rss.ts) so that earlier work in this one does not hide it.
 */
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { TestApp } from '../test/helpers/app.ts';
import { multipart } from '../test/helpers/media.ts';

async function perSec(fn: () => Promise<unknown>, seconds: number): Promise<number> {
  await fn(); // warm-up
  let n = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    await fn();
    n++;
  }
  return n / seconds;
}

/** A photo-like 12 MP JPEG: smooth gradients plus noise, so it compresses like a real one. */
export async function photoJpeg(width: number, height: number, quality: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let seed = 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = (seed >>> 24) % 48;
      const i = (y * width + x) * 3;
      raw[i] = ((x * 255) / width + noise) & 0xff;
      raw[i + 1] = ((y * 255) / height + noise) & 0xff;
      raw[i + 2] = (((x + y) * 128) / (width + height) + noise) & 0xff;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality }).toBuffer();
}

export async function mediaBench(t: TestApp, token: string): Promise<string[]> {
  const lines: string[] = [];
  const jpeg = await photoJpeg(4000, 3000, 85);
  const body = multipart({}, { filename: 'photo.jpg', data: jpeg });
  const headers = { ...body.headers, authorization: `Bearer ${token}` };
  const sharpOnly = await perSec(() => sharp(jpeg).rotate().resize(320, 320, { fit: 'inside' }).webp({ quality: 75 }).toBuffer(), 5);
  const uploads = await perSec(async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/assets', payload: body.payload, headers });
    if (res.statusCode !== 201) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
  }, 5);
  lines.push(`sharp alone, 12 MP JPEG → WebP thumbnail (baseline): ${sharpOnly.toFixed(2)} /s = 1.00`);
  lines.push(`POST /assets, 12 MP JPEG (${(jpeg.length / 1e6).toFixed(1)} MB): ${uploads.toFixed(2)} /s = ${(uploads / sharpOnly).toFixed(2)} × baseline`);

  const rssScript = fileURLToPath(new URL('./media-rss.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', rssScript], { env: process.env, maxBuffer: 1 << 20 });
  const rss = JSON.parse(stdout.trim().split('\n').at(-1)!) as { status: number; bytes: number; growth: number };
  lines.push(
    `POST /assets, ${(rss.bytes / 1e6).toFixed(1)} MB JPEG (${rss.status}): peak RSS growth ${(rss.growth / 1e6).toFixed(0)} MB ` +
      `(${(rss.growth / rss.bytes).toFixed(1)} × the file)`,
  );
  return lines;
}
