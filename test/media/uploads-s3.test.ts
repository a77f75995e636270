/**
 * Uploads into an S3 bucket: the original is streamed into the bucket (kept bytes or a re-encoded
 * file) with a known length and hashed on the way; a refused upload leaves the bucket empty.
 * Real: app, database, multipart, sharp, the S3 driver with the AWS SDK, presigned links.
 * Stand-ins: s3rver, a local server speaking the S3 protocol; images generated here with sharp.
 */
import { createHash } from 'node:crypto';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage } from '../../src/platform/storage/index.ts';
import { countRows, signUp } from '../helpers/accounts.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { makeImage, makeRotatedJpegWithGps, upload } from '../helpers/media.ts';
import { startS3rver } from '../helpers/s3.ts';

let t: TestApp;
let s3: Awaited<ReturnType<typeof startS3rver>>;
let token: string;

async function bucketKeys(): Promise<string[]> {
  const o = s3.options;
  const client = new S3Client({ region: o.region, endpoint: o.endpoint!, forcePathStyle: true, credentials: { accessKeyId: o.accessKeyId!, secretAccessKey: o.secretAccessKey! } });
  const res = await client.send(new ListObjectsV2Command({ Bucket: o.bucket }));
  client.destroy();
  return (res.Contents ?? []).map((c) => c.Key!);
}

beforeAll(async () => {
  s3 = await startS3rver();
  t = await createTestApp({ storage: createS3Storage(s3.options) });
  token = (await signUp(t.app)).access_token;
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
});

describe('uploads on S3', () => {
  it('refuses a truncated JPEG with 415 and leaves the bucket empty', async () => {
    const jpeg = await makeImage(400, 300, 'jpeg');
    const res = await upload(t.app, token, { filename: 'cut.jpg', data: jpeg.subarray(0, jpeg.length - 100) });
    expect(res.statusCode).toBe(415);
    expect(await bucketKeys()).toEqual([]);
    expect(await countRows(t, 'select count(*) as n from assets')).toBe(0);
  });

  it.each([
    ['upright JPEG (bytes kept)', () => makeImage(300, 200, 'jpeg'), 'image/jpeg'],
    ['rotated JPEG (re-encoded)', () => makeRotatedJpegWithGps(300, 200), 'image/jpeg'],
    ['WebP (re-encoded)', () => makeImage(300, 200, 'webp'), 'image/webp'],
  ] as const)('stores a %s whose bytes match size_bytes and sha256', async (_name, make, mime) => {
    const res = await upload(t.app, token, { filename: 'x', data: await make() });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.mime_type).toBe(mime);
    const got = await fetch(res.data.url);
    expect(got.status).toBe(200);
    const bytes = Buffer.from(await got.arrayBuffer());
    expect(bytes.length).toBe(res.data.size_bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(res.data.sha256);
    const meta = await sharp(bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.width! * meta.height!).toBe(60_000);
    const thumb = await fetch(res.data.thumbnail_url);
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).format).toBe('webp');
  });
});
