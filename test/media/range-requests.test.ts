/**
 * Range requests on an asset's bytes, on both storage drivers: one satisfiable range is 206, a range
 * starting past the end is 416 with a `Content-Range` naming the size, several ranges get the whole file.
 * Checked on the content and thumbnail routes (owner's token) and on the signed links the API hands
 * out (local disk: the API's own HMAC-signed route; S3: the bucket's presigned URL).
 * Real: app, database, sharp, local-disk storage in a temp dir, the S3 driver with the AWS SDK.
 * Stand-ins: s3rver, a local server speaking the S3 protocol; images generated with sharp.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../helpers/accounts.ts';
import { call, createTestApp, type TestApp } from '../helpers/app.ts';
import { makeImage, upload } from '../helpers/media.ts';
import { startS3rver } from '../helpers/s3.ts';
import { createS3Storage } from '../../src/platform/storage/index.ts';

const drivers = [
  { name: 'local disk', s3: false },
  { name: 's3 (s3rver)', s3: true },
];

describe.each(drivers)('ranges on $name', ({ s3 }) => {
  let t: TestApp;
  let closeS3: (() => Promise<void>) | undefined;
  let token: string;
  let asset: { id: string; url: string; thumbnail_url: string; size_bytes: number; sha256: string };

  beforeAll(async () => {
    if (s3) {
      const server = await startS3rver();
      closeS3 = server.close;
      t = await createTestApp({ storage: createS3Storage(server.options) });
    } else {
      t = await createTestApp();
    }
    token = (await signUp(t.app)).access_token;
    const res = await upload(t.app, token, { filename: 'r.png', data: await makeImage(120, 90, 'png') });
    expect(res.statusCode, res.body).toBe(201);
    asset = res.data;
  });
  afterAll(async () => {
    await t?.close();
    await closeS3?.();
  });

  /** GET through the API with the owner's token. */
  const viaApi = (variant: 'content' | 'thumbnail', range: string, query = '') =>
    call(t.app, 'GET', `/api/v1/assets/${asset.id}/${variant}${query}`, { token, headers: { range } });

  /** GET a signed link as a browser would: the API route (local) or the bucket itself (S3). */
  async function viaLink(url: string, range: string): Promise<{ status: number; contentRange: string | null; body: Buffer }> {
    if (/^https?:/.test(url)) {
      const res = await fetch(url, { headers: { range } });
      return { status: res.status, contentRange: res.headers.get('content-range'), body: Buffer.from(await res.arrayBuffer()) };
    }
    const res = await t.app.inject({ method: 'GET', url, headers: { range } });
    return { status: res.statusCode, contentRange: (res.headers['content-range'] as string | undefined) ?? null, body: res.rawPayload };
  }

  it('hands out links of the driver’s kind', () => {
    if (s3) expect(asset.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/atelier-test\/.*X-Amz-Signature=/);
    else expect(asset.url).toMatch(/^\/api\/v1\/assets\/[\w-]+\/content\?expires=\d+&sig=/);
  });

  it.each(['content', 'thumbnail'] as const)('%s route: 206 for one range, 416 past the end, whole file for several', async (variant) => {
    const whole = await call(t.app, 'GET', `/api/v1/assets/${asset.id}/${variant}`, { token });
    expect(whole.statusCode).toBe(200);
    const size = whole.rawPayload.length;
    // The original was streamed into storage while hashed: the stored bytes are exactly what was hashed.
    if (variant === 'content') {
      expect(size).toBe(asset.size_bytes);
      expect(createHash('sha256').update(whole.rawPayload).digest('hex')).toBe(asset.sha256);
    }

    const part = await viaApi(variant, 'bytes=2-9');
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 2-9/${size}`);
    expect(part.rawPayload).toEqual(whole.rawPayload.subarray(2, 10));

    const last = await viaApi(variant, `bytes=${size - 1}-`);
    expect(last.statusCode).toBe(206);
    expect(last.rawPayload).toEqual(whole.rawPayload.subarray(size - 1));

    for (const range of [`bytes=${size}-`, `bytes=${size + 1000}-${size + 2000}`, 'bytes=-0', `bytes=${size}-,${size + 5}-`]) {
      const res = await viaApi(variant, range);
      expect(res.statusCode, range).toBe(416);
      expect(res.headers['content-range'], range).toBe(`bytes */${size}`);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.data.code).toBe('range_not_satisfiable');
    }

    const several = await viaApi(variant, `bytes=0-1,4-5,${size + 10}-`);
    expect(several.statusCode).toBe(200);
    expect(several.headers['content-range']).toBeUndefined();
    expect(several.rawPayload).toEqual(whole.rawPayload);
  });

  it('does not count a download for a refused range', async () => {
    const res = await viaApi('content', `bytes=${asset.size_bytes}-`, '?download=1');
    expect(res.statusCode).toBe(416);
    expect((await call(t.app, 'GET', `/api/v1/assets/${asset.id}`, { token })).data.download_count).toBe(0);
  });

  it.each(['url', 'thumbnail_url'] as const)('signed %s: 206 for one range, 416 past the end', async (field) => {
    const url = asset[field];
    const whole = await viaLink(url, 'bytes=0-');
    expect(whole.status).toBe(206);
    const size = whole.body.length;
    const part = await viaLink(url, 'bytes=3-7');
    expect(part.status).toBe(206);
    expect(part.contentRange).toBe(`bytes 3-7/${size}`);
    expect(part.body).toEqual(whole.body.subarray(3, 8));
    const beyond = await viaLink(url, `bytes=${size + 100}-`);
    expect(beyond.status).toBe(416);
    // S3 answers its own 416 (an XML error); the API's route names the size as RFC 9110 asks.
    if (!s3) expect(beyond.contentRange).toBe(`bytes */${size}`);
  });
});
