/**
 * Uploading images and working with the library: the Asset shape, EXIF stripped with orientation
 * applied, thumbnails, lists with filters and cursors, PATCH and DELETE, bytes by signed link and by
 * range, downloads counted, other users kept out.
 * Real: app, database, multipart, sharp, local-disk storage in a temp data dir, HMAC-signed links.
 * Stand-ins: images generated here with sharp; a manual clock (moved to expire links).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { countRows, signUp } from '../helpers/accounts.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { getBytes, makeImage, makeRotatedJpegWithGps, upload } from '../helpers/media.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const ASSET_KEYS = [
  'id', 'kind', 'filename', 'mime_type', 'size_bytes', 'width', 'height', 'url', 'thumbnail_url', 'is_public',
  'is_favorite', 'rating', 'notes', 'tags', 'generation_id', 'download_count', 'created_at', 'expires_at',
];

describe('POST /assets', () => {
  it('answers 201 with the Asset shape for each supported format', async () => {
    const a = await signUp(t.app);
    for (const format of ['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif'] as const) {
      const res = await upload(t.app, a.access_token, { filename: `pic.${format}`, data: await makeImage(40, 30, format) }, { tags: 'red,sample' });
      expect(res.statusCode, `${format}: ${res.body}`).toBe(201);
      for (const k of ASSET_KEYS) expect(res.data, `${format} ${k}`).toHaveProperty(k);
      expect(res.data).toMatchObject({ kind: 'upload', width: 40, height: 30, tags: ['red', 'sample'], is_public: false, download_count: 0, rating: null });
      expect(res.data.expires_at).not.toBeNull();
      expect(res.data.mime_type).toBe(`image/${format}`);
      expect(res.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('applies the EXIF orientation, strips EXIF and GPS, and records what was stored', async () => {
    const a = await signUp(t.app);
    const res = await upload(t.app, a.access_token, { filename: 'phone.jpg', data: await makeRotatedJpegWithGps(60, 20) }, { purpose: 'avatar', tags: '["me"]' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ kind: 'avatar', width: 20, height: 60, tags: ['me'] });
    const bytes = await getBytes(t.app, res.data.url);
    expect(bytes.statusCode).toBe(200);
    const meta = await sharp(bytes.rawPayload).metadata();
    expect(meta).toMatchObject({ width: 20, height: 60 });
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(bytes.rawPayload.includes(Buffer.from('SecretModel'))).toBe(false);
    expect(createHash('sha256').update(bytes.rawPayload).digest('hex')).toBe(res.data.sha256);
    expect(Number(res.data.size_bytes)).toBe(bytes.rawPayload.length);
    const [row] = await sqlRows<{ metadata: { source: { stored: string; orientation: number } } }>(t, `select metadata from assets where id = '${res.data.id}'`);
    expect(row!.metadata.source).toMatchObject({ stored: 're_encoded', orientation: 6 });
  });

  it('keeps an upright JPEG’s pixels bit for bit, cutting out EXIF, GPS and what follows the image', async () => {
    const a = await signUp(t.app);
    const raw = Buffer.alloc(90 * 60 * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
    const photo = await sharp(raw, { raw: { width: 90, height: 60, channels: 3 } })
      .jpeg({ quality: 92 })
      .withExif({ IFD0: { Make: 'TestCam', Model: 'SecretModel' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 41/1 0/1' } })
      .toBuffer();
    const res = await upload(t.app, a.access_token, { filename: 'upright.jpg', data: Buffer.concat([photo, Buffer.from('SecretTrailer')]) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ width: 90, height: 60, mime_type: 'image/jpeg' });
    const stored = (await getBytes(t.app, res.data.url)).rawPayload;
    expect(stored.includes(Buffer.from('SecretModel'))).toBe(false);
    expect(stored.includes(Buffer.from('SecretTrailer'))).toBe(false);
    expect((await sharp(stored).metadata()).exif).toBeUndefined();
    expect(await sharp(stored).raw().toBuffer()).toEqual(await sharp(photo).raw().toBuffer());
    expect(createHash('sha256').update(stored).digest('hex')).toBe(res.data.sha256);
    expect(res.data.size_bytes).toBe(stored.length);
    const [row] = await sqlRows<{ metadata: { source: { stored: string } } }>(t, `select metadata from assets where id = '${res.data.id}'`);
    expect(row!.metadata.source.stored).toBe('metadata_cut');
  });

  it('makes a WebP thumbnail no larger than 320 px', async () => {
    const a = await signUp(t.app);
    const res = await upload(t.app, a.access_token, { filename: 'wide.png', data: await makeImage(1200, 600, 'png') });
    const thumb = await getBytes(t.app, res.data.thumbnail_url);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect(await sharp(thumb.rawPayload).metadata()).toMatchObject({ format: 'webp', width: 320, height: 160 });
  });

  it('needs a signed-in user', async () => {
    const res = await upload(t.app, 'not-a-token', { filename: 'x.png', data: await makeImage(4, 4, 'png') });
    expect(res.statusCode).toBe(401);
  });
});

describe('library', () => {
  it('lists newest first with filters and cursors, owner-scoped', async () => {
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      const res = await upload(t.app, a.access_token, { filename: `${i}.png`, data: await makeImage(8, 8, 'png') }, { tags: i % 2 ? 'odd' : 'even', purpose: i === 4 ? 'training' : 'upload' });
      ids.push(res.data.id);
    }
    await upload(t.app, b.access_token, { filename: 'b.png', data: await makeImage(8, 8, 'png') });
    await call(t.app, 'PATCH', `/api/v1/assets/${ids[1]}`, { token: a.access_token, body: { is_favorite: true } });

    const first = await call(t.app, 'GET', '/api/v1/assets?limit=2', { token: a.access_token });
    expect(first.data.data.map((x: { id: string }) => x.id)).toEqual([ids[4], ids[3]]);
    const second = await call(t.app, 'GET', `/api/v1/assets?limit=2&cursor=${first.data.next_cursor}`, { token: a.access_token });
    expect(second.data.data.map((x: { id: string }) => x.id)).toEqual([ids[2], ids[1]]);
    const third = await call(t.app, 'GET', `/api/v1/assets?limit=2&cursor=${second.data.next_cursor}`, { token: a.access_token });
    expect(third.data.data.map((x: { id: string }) => x.id)).toEqual([ids[0]]);
    expect(third.data.next_cursor).toBeNull();

    const list = async (q: string) => (await call(t.app, 'GET', `/api/v1/assets?${q}`, { token: a.access_token })).data.data.map((x: { id: string }) => x.id);
    expect(await list('tag=odd')).toEqual([ids[3], ids[1]]);
    expect(await list('kind=training')).toEqual([ids[4]]);
    expect(await list('favorite=true')).toEqual([ids[1]]);
    expect(await list('favorite=false')).toHaveLength(4);
    expect(await list('generation_id=00000000-0000-4000-8000-000000000000')).toEqual([]);
    const bad = await call(t.app, 'GET', '/api/v1/assets?kind=nope', { token: a.access_token });
    expect(bad.statusCode).toBe(400);
  });

  it('patches the editable fields and refuses others', async () => {
    const a = await signUp(t.app);
    const { data } = await upload(t.app, a.access_token, { filename: 'p.png', data: await makeImage(8, 8, 'png') });
    const res = await call(t.app, 'PATCH', `/api/v1/assets/${data.id}`, {
      token: a.access_token,
      body: { is_favorite: true, rating: 4, notes: 'keep', tags: ['x', 'y', 'x'], is_public: true, is_selected: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ is_favorite: true, rating: 4, notes: 'keep', tags: ['x', 'y'], is_public: true, is_selected: true });
    for (const body of [{ rating: 6 }, { rating: 0 }, { kind: 'result' }, { download_count: 9 }]) {
      const r = await call(t.app, 'PATCH', `/api/v1/assets/${data.id}`, { token: a.access_token, body });
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.data.code).toBe('validation_failed');
    }
    expect((await call(t.app, 'GET', `/api/v1/assets/${data.id}`, { token: a.access_token })).data.rating).toBe(4);
  });

  it('answers 404 for another user’s asset on every route, and changes nothing', async () => {
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    const { data } = await upload(t.app, a.access_token, { filename: 'mine.png', data: await makeImage(8, 8, 'png') });
    for (const [method, url, body] of [
      ['GET', `/api/v1/assets/${data.id}`],
      ['PATCH', `/api/v1/assets/${data.id}`, { notes: 'stolen' }],
      ['DELETE', `/api/v1/assets/${data.id}`],
      ['GET', `/api/v1/assets/${data.id}/content`],
      ['GET', `/api/v1/assets/${data.id}/thumbnail`],
    ] as const) {
      const res = await call(t.app, method, url, { token: b.access_token, ...(body ? { body } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.data.code).toBe('not_found');
    }
    expect((await call(t.app, 'GET', `/api/v1/assets/${data.id}`, { token: a.access_token })).data.notes).toBeNull();
  });

  it('deletes the row and both files together', async () => {
    const a = await signUp(t.app);
    const { data } = await upload(t.app, a.access_token, { filename: 'd.png', data: await makeImage(8, 8, 'png') });
    const [row] = await sqlRows<{ storage_key: string; thumbnail_key: string }>(t, `select storage_key, thumbnail_key from assets where id = '${data.id}'`);
    expect(await t.storage.exists(row!.storage_key)).toBe(true);
    expect((await call(t.app, 'DELETE', `/api/v1/assets/${data.id}`, { token: a.access_token })).statusCode).toBe(204);
    expect(await t.storage.exists(row!.storage_key)).toBe(false);
    expect(await t.storage.exists(row!.thumbnail_key)).toBe(false);
    expect(await countRows(t, `select count(*) as n from assets where id = '${data.id}'`)).toBe(0);
    expect((await call(t.app, 'DELETE', `/api/v1/assets/${data.id}`, { token: a.access_token })).statusCode).toBe(404);
  });
});

describe('bytes', () => {
  it('serves by signed link without a token, by range, and counts downloads', async () => {
    const a = await signUp(t.app);
    const { data } = await upload(t.app, a.access_token, { filename: 'r.png', data: await makeImage(50, 50, 'png') });
    expect(data.url).toMatch(new RegExp(`^/api/v1/assets/${data.id}/content\\?expires=\\d+&sig=[\\w-]+$`));
    const whole = await getBytes(t.app, data.url);
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.rawPayload.length).toBe(data.size_bytes);
    const part = await getBytes(t.app, data.url, { range: 'bytes=4-11' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 4-11/${data.size_bytes}`);
    expect(part.rawPayload).toEqual(whole.rawPayload.subarray(4, 12));

    const dl = await call(t.app, 'GET', `/api/v1/assets/${data.id}/content?download=1`, { token: a.access_token });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-disposition']).toMatch(/^attachment; filename="r.png"/);
    expect((await call(t.app, 'GET', `/api/v1/assets/${data.id}`, { token: a.access_token })).data.download_count).toBe(1);
  });

  it('refuses a tampered, cross-asset or expired link, and no credentials at all', async () => {
    const a = await signUp(t.app);
    const one = (await upload(t.app, a.access_token, { filename: '1.png', data: await makeImage(8, 8, 'png') })).data;
    const two = (await upload(t.app, a.access_token, { filename: '2.png', data: await makeImage(8, 8, 'png') })).data;
    expect((await getBytes(t.app, `/api/v1/assets/${one.id}/content`)).statusCode).toBe(401);
    expect((await getBytes(t.app, one.url.replace(/sig=([\w-])/, (_: string, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`))).statusCode).toBe(404);
    expect((await getBytes(t.app, one.url.replace(one.id, two.id))).statusCode).toBe(404);
    expect((await getBytes(t.app, one.url.replace('/content', '/thumbnail'))).statusCode).toBe(404);
    t.clock.advance(3 * 3600_000);
    expect((await getBytes(t.app, one.url)).statusCode).toBe(404);
  });
});

describe('PATCH /me avatar_asset_id', () => {
  it('accepts the user’s own asset and refuses another user’s or an unknown one with 404', async () => {
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    const mine = (await upload(t.app, a.access_token, { filename: 'me.png', data: await makeImage(8, 8, 'png') }, { purpose: 'avatar' })).data;
    const theirs = (await upload(t.app, b.access_token, { filename: 'b.png', data: await makeImage(8, 8, 'png') })).data;
    const ok = await call(t.app, 'PATCH', '/api/v1/me', { token: a.access_token, body: { avatar_asset_id: mine.id } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.data.avatar_asset_id).toBe(mine.id);
    for (const id of [theirs.id, '00000000-0000-4000-8000-000000000000']) {
      const res = await call(t.app, 'PATCH', '/api/v1/me', { token: a.access_token, body: { avatar_asset_id: id } });
      expect(res.statusCode).toBe(404);
      expect(res.data.code).toBe('not_found');
    }
    expect((await call(t.app, 'GET', '/api/v1/me', { token: a.access_token })).data.avatar_asset_id).toBe(mine.id);
    const cleared = await call(t.app, 'PATCH', '/api/v1/me', { token: a.access_token, body: { avatar_asset_id: null } });
    expect(cleared.data.avatar_asset_id).toBeNull();
    expect(cleared.data.avatar_url).toBeNull();
  });

  it('makes GET /me, PATCH /me and sign-in show an avatar_url that serves the image without a token', async () => {
    const a = await signUp(t.app);
    expect((await call(t.app, 'GET', '/api/v1/me', { token: a.access_token })).data.avatar_url).toBeNull();
    const pic = (await upload(t.app, a.access_token, { filename: 'face.png', data: await makeImage(800, 800, 'png') }, { purpose: 'avatar' })).data;
    const patched = await call(t.app, 'PATCH', '/api/v1/me', { token: a.access_token, body: { avatar_asset_id: pic.id } });
    expect(patched.data.avatar_url).toMatch(new RegExp(`^/api/v1/assets/${pic.id}/thumbnail\\?expires=\\d+&sig=`));
    const me = await call(t.app, 'GET', '/api/v1/me', { token: a.access_token });
    expect(me.data.avatar_url).toBe(patched.data.avatar_url);
    const img = await getBytes(t.app, me.data.avatar_url);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/webp');
    expect(await sharp(img.rawPayload).metadata()).toMatchObject({ width: 320, height: 320 });
    const login = await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: a.user.email, password: 'password123' } });
    expect(login.data.user.avatar_url).toBe(me.data.avatar_url);

    // The link expires like every asset link; GET /me then hands out a fresh one.
    t.clock.advance(3 * 3600_000);
    expect((await getBytes(t.app, me.data.avatar_url)).statusCode).toBe(404);
    const token = (await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: a.user.email, password: 'password123' } })).data.access_token;
    const later = await call(t.app, 'GET', '/api/v1/me', { token });
    expect(later.data.avatar_url).not.toBe(me.data.avatar_url);
    expect((await getBytes(t.app, later.data.avatar_url)).statusCode).toBe(200);

    // A deleted avatar asset shows no link rather than a broken one.
    expect((await call(t.app, 'DELETE', `/api/v1/assets/${pic.id}`, { token })).statusCode).toBe(204);
    const gone = await call(t.app, 'GET', '/api/v1/me', { token });
    expect(gone.data.avatar_asset_id).toBe(pic.id);
    expect(gone.data.avatar_url).toBeNull();
  });
});
