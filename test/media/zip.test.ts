/**
 * POST /assets/zip: the files and a metadata.json, by ids or by collection; bad requests are 4xx.
 * Real: app, database, sharp, local-disk storage, yazl's streamed zip; the zip is read back by a
 * small reader in test/helpers/unzip.ts (and the bytes compared with the content route's).
 * Stand-ins: images generated here with sharp.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../helpers/accounts.ts';
import { call, createTestApp, type TestApp } from '../helpers/app.ts';
import { makeImage, upload } from '../helpers/media.ts';
import { readZip } from '../helpers/unzip.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('POST /assets/zip', () => {
  it('zips chosen assets with unique names and a metadata.json', async () => {
    const a = await signUp(t.app);
    const one = (await upload(t.app, a.access_token, { filename: 'same.png', data: await makeImage(10, 10, 'png') }, { tags: 'x' })).data;
    const two = (await upload(t.app, a.access_token, { filename: 'same.png', data: await makeImage(12, 10, 'png') })).data;
    const res = await call(t.app, 'POST', '/api/v1/assets/zip', { token: a.access_token, body: { asset_ids: [one.id, two.id] } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="assets-\d+\.zip"/);
    const files = readZip(res.rawPayload);
    expect([...files.keys()].sort()).toEqual(['metadata.json', 'same (2).png', 'same.png']);
    expect(sha(files.get('same.png')!)).toBe(one.sha256);
    expect(sha(files.get('same (2).png')!)).toBe(two.sha256);
    const meta = JSON.parse(files.get('metadata.json')!.toString('utf8'));
    expect(meta.assets).toHaveLength(2);
    expect(meta.assets[0]).toMatchObject({ file: 'same.png', id: one.id, width: 10, height: 10, tags: ['x'], sha256: one.sha256 });
  });

  it('zips a collection', async () => {
    const a = await signUp(t.app);
    const img = (await upload(t.app, a.access_token, { filename: 'c.jpg', data: await makeImage(10, 10, 'jpeg') })).data;
    const c = (await call(t.app, 'POST', '/api/v1/collections', { token: a.access_token, body: { name: 'Z' } })).data;
    await call(t.app, 'POST', `/api/v1/collections/${c.id}/items`, { token: a.access_token, body: { asset_id: img.id } });
    const res = await call(t.app, 'POST', '/api/v1/assets/zip', { token: a.access_token, body: { collection_id: c.id } });
    expect(res.statusCode).toBe(200);
    expect([...readZip(res.rawPayload).keys()].sort()).toEqual(['c.jpg', 'metadata.json']);
  });

  it('answers 404 when any asset or the collection is not the caller’s, and 400 for a bad body', async () => {
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    const mine = (await upload(t.app, a.access_token, { filename: 'm.png', data: await makeImage(8, 8, 'png') })).data;
    const theirs = (await upload(t.app, b.access_token, { filename: 't.png', data: await makeImage(8, 8, 'png') })).data;
    const c = (await call(t.app, 'POST', '/api/v1/collections', { token: b.access_token, body: { name: 'B' } })).data;
    const cases: Array<[unknown, number]> = [
      [{ asset_ids: [mine.id, theirs.id] }, 404],
      [{ collection_id: c.id }, 404],
      [{}, 400],
      [{ asset_ids: [] }, 400],
      [{ asset_ids: [mine.id], collection_id: c.id }, 400],
      [{ asset_ids: ['nope'] }, 400],
    ];
    for (const [body, status] of cases) {
      const res = await call(t.app, 'POST', '/api/v1/assets/zip', { token: a.access_token, body });
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });
});
