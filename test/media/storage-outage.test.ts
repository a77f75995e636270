/**
 * The object store going away during uploads, and coming back: an upload answers 503
 * `unavailable` with Retry-After, leaves no row and no object behind, and uploads work again once
 * the store answers — no restart of the API.
 * Real: app, database (PGlite, or PostgreSQL with TEST_DATABASE_URL), the AWS SDK and its retries,
 * sharp. Stand-ins: s3rver, a local server speaking the S3 protocol, behind a TCP proxy that the
 * test cuts (every connection dropped, new ones refused) and restores.
 */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createS3Storage } from '../../src/platform/storage/index.ts';
import { countRows, signUp } from '../helpers/accounts.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { makeImage, upload } from '../helpers/media.ts';
import { startS3rver } from '../helpers/s3.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

let t: TestApp;
let s3: Awaited<ReturnType<typeof startS3rver>>;
let proxy: TcpProxy;
beforeAll(async () => {
  s3 = await startS3rver();
  proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(s3.options.endpoint!).port) });
  t = await createTestApp({ storage: createS3Storage({ ...s3.options, endpoint: `http://127.0.0.1:${proxy.port}` }), realClock: true });
});
afterAll(async () => {
  await proxy?.restore().catch(() => {});
  await t?.close();
  await proxy?.close();
  await s3?.close();
});

it('refuses uploads with 503 while the store is unreachable, half-writes nothing, and recovers by itself', async () => {
  const a = await signUp(t.app);
  const image = await makeImage(64, 48, 'png');
  const first = await upload(t.app, a.access_token, { filename: 'a.png', data: image });
  expect(first.statusCode, first.body).toBe(201);
  // Listed straight from the stand-in, past the proxy.
  const direct = new S3Client({ region: s3.options.region, endpoint: s3.options.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  const objects = async () => (await direct.send(new ListObjectsV2Command({ Bucket: s3.options.bucket, Prefix: `assets/${a.user.id}/` }))).KeyCount ?? 0;
  const stored = await objects();
  expect(stored).toBeGreaterThan(0); // the original and its thumbnail
  const rows = () => countRows(t, `select count(*) as n from assets where owner_id = '${a.user.id}'`);

  await proxy.cut();
  const refused = await upload(t.app, a.access_token, { filename: 'b.png', data: image });
  expect(refused.statusCode, refused.body).toBe(503);
  expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(refused.data.code).toBe('unavailable');
  expect(refused.headers['retry-after']).toBe('5');
  expect(await rows()).toBe(1);

  await proxy.restore();
  expect(await objects()).toBe(stored); // nothing half-written in the bucket either
  const again = await upload(t.app, a.access_token, { filename: 'c.png', data: image });
  expect(again.statusCode, again.body).toBe(201);
  expect(await rows()).toBe(2);
}, 60_000);
