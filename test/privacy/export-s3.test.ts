/**
 * Export and erasure with files in S3: the export's link is the bucket's own presigned URL, and
 * erasure empties the user's folders in the bucket.
 * Real: app, database, the AWS SDK, yazl. Stand-in: s3rver, a local server speaking the S3 protocol.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrivacyModule } from '../../src/modules/privacy/index.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createS3Storage } from '../../src/platform/storage/index.ts';
import { signUp } from '../helpers/accounts.ts';
import { call, createTestApp, type TestApp } from '../helpers/app.ts';
import { makeImage, upload } from '../helpers/media.ts';
import { startS3rver } from '../helpers/s3.ts';
import { readZip } from '../helpers/unzip.ts';

let t: TestApp;
let s3: Awaited<ReturnType<typeof startS3rver>>;
beforeAll(async () => {
  s3 = await startS3rver();
  t = await createTestApp({ storage: createS3Storage(s3.options), realClock: true });
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
});

it('exports through a presigned URL and erases the folders in the bucket', async () => {
  const log = createLogger('silent');
  const privacy = createPrivacyModule({ db: t.database.db, storage: t.storage, clock: { now: () => new Date() }, queue: t.queue, secret: t.secret, config: t.config, log, mailer: t.modules.notifications.emails, forgetPrincipals: t.modules.accounts.ctx.principals.forgetUser, providerSubscriptions: t.modules.billing.providerSubscriptions });
  const a = await signUp(t.app);
  const asset = (await upload(t.app, a.access_token, { filename: 'bucket.png', data: await makeImage(16, 16, 'png') })).data;
  const exp = await call(t.app, 'POST', '/api/v1/me/export', { token: a.access_token });
  await privacy.exports.run(exp.data.id, { retryCount: 0, log });
  const done = await call(t.app, 'GET', `/api/v1/me/exports/${exp.data.id}`, { token: a.access_token });
  expect(done.data.download_url).toMatch(new RegExp(`^${s3.options.endpoint}/`));
  const res = await fetch(done.data.download_url);
  expect(res.status).toBe(200);
  const zip = readZip(Buffer.from(await res.arrayBuffer()));
  expect([...zip.keys()]).toContain(`files/${asset.id}-bucket.png`);

  expect((await call(t.app, 'DELETE', '/api/v1/me', { token: a.access_token, body: { password: a.password } })).statusCode).toBe(202);
  expect(await privacy.erasure.eraseFiles(a.user.id)).toBe(3);
  expect(await privacy.erasure.eraseFiles(a.user.id)).toBe(0);
});
