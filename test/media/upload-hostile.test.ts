/**
 * POST /assets against hostile input: each bad upload is a 4xx problem+json with a code, and leaves
 * no row and no file behind; the server keeps answering afterwards.
 * Real: app, database, multipart parsing, sharp, local-disk storage in a temp data dir.
 * Stand-ins: images are generated here with sharp; the "40000×40000" image is a hand-made PNG
 * header with no pixels (so reaching the decoder would answer 415, not 413); the HEIC file is a
 * hand-made `ftyp heic` header (sharp's own build cannot decode HEVC, nor encode it).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, signUp } from '../helpers/accounts.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { canDecodeHeic } from '../../src/modules/media/image.ts';
import { makeImage, makeNoisePng, multipart, pngHeaderOnly, upload } from '../helpers/media.ts';

const MAX_BYTES = 600_000;
let t: TestApp;
let token: string;
let userId: string;

async function filesOnDisk(): Promise<string[]> {
  const root = path.join(t.config.dataDir, 'files');
  try {
    return (await fs.readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  } catch {
    return [];
  }
}

/** Uploads wait in a temporary file on the data disk; every request removes its own. */
async function tempFiles(): Promise<string[]> {
  return fs.readdir(path.join(t.config.dataDir, 'tmp', 'uploads')).catch(() => []);
}

async function expectNothingStored() {
  expect(await countRows(t, 'select count(*) as n from assets')).toBe(0);
  expect(await filesOnDisk()).toEqual([]);
  expect(await tempFiles()).toEqual([]);
}

beforeAll(async () => {
  t = await createTestApp({ env: { ATELIER_UPLOAD_MAX_BYTES: String(MAX_BYTES), ATELIER_UPLOAD_MAX_PIXELS: '4000000' } });
  const user = await signUp(t.app);
  token = user.access_token;
  userId = user.user.id;
});
afterAll(async () => t?.close());

describe('hostile uploads', () => {
  it('refuses non-image bytes named .png with 415, whatever the part header says', async () => {
    const res = await upload(t.app, token, { filename: 'photo.png', contentType: 'image/png', data: Buffer.from('#!/bin/sh\necho pwned\n'.repeat(20)) });
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.data.code).toBe('unsupported_media_type');
    expect(res.data.detail).toMatch(/not an image/);
    await expectNothingStored();
  });

  it('refuses a truncated JPEG with 415 saying it is damaged', async () => {
    const jpeg = await makeImage(800, 600, 'jpeg');
    const res = await upload(t.app, token, { filename: 'cut.jpg', data: jpeg.subarray(0, Math.floor(jpeg.length / 2)) });
    expect(res.statusCode).toBe(415);
    expect(res.data.code).toBe('unsupported_media_type');
    expect(res.data.detail).toMatch(/damaged or truncated/);
    await expectNothingStored();
  });

  it('refuses a truncated PNG, and a JPEG whose end marker is gone, with 415', async () => {
    const png = await makeNoisePng(100, 100);
    const jpeg = await makeImage(300, 200, 'jpeg');
    for (const [name, data] of [['cut.png', png.subarray(0, png.length - 40)], ['cut.jpg', jpeg.subarray(0, jpeg.length - 2)]] as const) {
      const res = await upload(t.app, token, { filename: name, data });
      expect(res.statusCode, name).toBe(415);
      expect(res.data.detail).toMatch(/damaged or truncated/);
    }
    await expectNothingStored();
  });

  it('refuses HEIC with 415 naming it, since this build has no HEVC decoder', async () => {
    const heic = Buffer.concat([Buffer.from('0000001c6674797068656963000000006d69663168656963', 'hex'), Buffer.alloc(200, 1)]);
    const res = await upload(t.app, token, { filename: 'IMG_0001.HEIC', contentType: 'image/heic', data: heic });
    expect(res.statusCode).toBe(415);
    expect(res.data.code).toBe('unsupported_media_type');
    if (!canDecodeHeic) expect(res.data.detail).toMatch(/HEIC.*cannot be decoded/);
    else expect(res.data.detail).toMatch(/header cannot be read/); // a sharp with libde265 reaches the header
    await expectNothingStored();
  });

  it('refuses a 40000×40000 header with 413 before decoding', async () => {
    const res = await upload(t.app, token, { filename: 'bomb.png', data: pngHeaderOnly(40_000, 40_000) });
    expect(res.statusCode).toBe(413);
    expect(res.data.code).toBe('payload_too_large');
    expect(res.data.detail).toContain('40000×40000');
    await expectNothingStored();
  });

  it('refuses an oversize body with 413 and writes nothing', async () => {
    const big = await makeNoisePng(600, 400);
    expect(big.length).toBeGreaterThan(MAX_BYTES);
    const res = await upload(t.app, token, { filename: 'big.png', data: big });
    expect(res.statusCode).toBe(413);
    expect(res.data.code).toBe('payload_too_large');
    await expectNothingStored();
  });

  it('refuses a request that is not multipart, and one without a file', async () => {
    const json = await call(t.app, 'POST', '/api/v1/assets', { token, body: { file: 'x' } });
    expect(json.statusCode).toBe(415);
    expect(json.data.code).toBe('unsupported_media_type');
    const { payload, headers } = multipart({ purpose: 'upload' });
    const none = await t.app.inject({ method: 'POST', url: '/api/v1/assets', payload, headers: { ...headers, authorization: `Bearer ${token}` } });
    expect(none.statusCode).toBe(400);
    expect(JSON.parse(none.body).code).toBe('validation_failed');
    await expectNothingStored();
  });

  it('refuses a bad purpose with 400 and stores nothing', async () => {
    const res = await upload(t.app, token, { filename: 'a.png', data: await makeImage(10, 10, 'png') }, { purpose: 'result' });
    expect(res.statusCode).toBe(400);
    expect(res.data.code).toBe('validation_failed');
    await expectNothingStored();
  });

  it('stores a path-traversal name safely: display name only, key made by the server', async () => {
    const res = await upload(t.app, token, { filename: '../../../etc/passwd\u0000.png', data: await makeImage(20, 20, 'png') });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.filename).not.toMatch(/[/\\]/);
    expect(res.data.filename.includes(String.fromCharCode(0))).toBe(false);
    expect(res.data.filename).toBe('passwd_.png');
    const [row] = await sqlRows<{ storage_key: string }>(t, `select storage_key from assets where id = '${res.data.id}'`);
    expect(row!.storage_key).toBe(`assets/${userId}/${res.data.id}/original.png`);
    expect((await filesOnDisk()).sort()).toEqual(['original.png', 'thumb.webp']);
    const del = await call(t.app, 'DELETE', `/api/v1/assets/${res.data.id}`, { token });
    expect(del.statusCode).toBe(204);
    await expectNothingStored();
  });

  it('is still healthy after all that', async () => {
    expect((await call(t.app, 'GET', '/readyz')).statusCode).toBe(200);
    const ok = await upload(t.app, token, { filename: 'fine.jpg', data: await makeImage(64, 48, 'jpeg') });
    expect(ok.statusCode).toBe(201);
    expect(ok.data).toMatchObject({ width: 64, height: 48, mime_type: 'image/jpeg' });
  });
});
