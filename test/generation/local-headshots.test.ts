/**
 * Headshots with no network and no keys: a subject prepared by the `local` provider, then a batch
 * of references × 4 headshots, end to end through the API.
 * Real: app, database (PGlite or PostgreSQL), pg-boss queue and workers in this process, the credit
 * ledger, media uploads, the local provider as configured (face-api's packaged models in a worker
 * thread, the ISNet segmenter, sharp). Stand-ins: none. The photos are portraits cut from the sample
 * photos that the face-api npm package ships (src/…/local/testing/portraits.ts): three crops and
 * treatments of one woman ("ava"), another woman ("cleo"), and a crop holding two people.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { portrait, twoPeople } from '../../src/modules/generation/providers/local/testing/portraits.ts';
import { call, sqlRows } from '../helpers/app.ts';
import { createGenerationTestApp, type GenerationTestApp } from '../helpers/generation.ts';
import { upload } from '../helpers/media.ts';

let g: GenerationTestApp;
beforeAll(async () => {
  g = await createGenerationTestApp({ generation: {} });
  await g.startWorkers();
});
afterEach(async () => g.invariants());
afterAll(async () => g?.close());

async function photo(token: string, bytes: Buffer): Promise<string> {
  const res = await upload(g.app, token, { filename: 'me.jpg', contentType: 'image/jpeg', data: bytes });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}
const createSubject = (token: string, ids: string[]) => call(g.app, 'POST', '/api/v1/subjects', { token, body: { name: 'Ava', gender: 'female', image_asset_ids: ids } });
async function settledSubject(token: string, id: string) {
  for (let i = 0; i < 1200; i++) {
    const res = await call(g.app, 'GET', `/api/v1/subjects/${id}`, { token });
    if (res.data.status !== 'training') return res.data;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`subject ${id} did not settle`);
}

describe('local headshots', () => {
  it('prepares a subject from 3 photos of one person and makes references × 4 distinct headshots', { timeout: 240_000 }, async () => {
    const u = await g.user(30);
    const ids = [
      await photo(u.token, await portrait('ava')),
      await photo(u.token, await portrait('ava', { zoom: 3.6, mirror: true, shift: [0.2, 0] })),
      await photo(u.token, await portrait('ava', { zoom: 2.6, light: 1.15 })),
    ];
    const res = await createSubject(u.token, ids);
    expect(res.statusCode, res.body).toBe(202);
    const subject = await settledSubject(u.token, res.data.id);
    expect(subject, JSON.stringify(subject.error)).toMatchObject({ status: 'ready', error: null });
    // The preview is the best reference's face, a new result asset.
    expect(ids).not.toContain(subject.preview_asset_id);
    const stored = await sqlRows<{ a: any }>(g, `select artifacts as a from subjects where id = '${subject.id}'`);
    const prepared = typeof stored[0]!.a === 'string' ? JSON.parse(stored[0]!.a) : stored[0]!.a;
    expect(prepared.local_subject.photos).toHaveLength(3);
    expect(ids).toContain(prepared.local_subject.best_reference_asset_id);
    expect(prepared.local_subject.photos[0].landmarks).toHaveLength(68);
    const afterTraining = await g.balance(u.id);
    expect(afterTraining.held).toBe(0);

    const batch = await call(g.app, 'POST', '/api/v1/generation-batches', {
      token: u.token,
      body: { subject_id: subject.id, reference_asset_ids: [ids[0], ids[2]], images_per_reference: 4, params: { aspect_ratio: '1:1', glasses: 'yes' } },
    });
    expect(batch.statusCode, batch.body).toBe(202);
    const hashes = new Set<string>();
    for (const id of batch.data.generation_ids as string[]) {
      const done = await g.until(u.token, id, (x) => x.status !== 'pending' && x.status !== 'processing', 180_000);
      expect(done.status, JSON.stringify(done.error)).toBe('completed');
      expect(done.provider).toBe('local');
      expect(done.outputs).toHaveLength(4);
      for (const out of done.outputs) {
        expect(out).toMatchObject({ width: 1000, height: 1000 });
        const file = await g.app.inject({ method: 'GET', url: out.url.replace(/^https?:\/\/[^/]+/, '') });
        const bytes = file.rawPayload;
        expect((await sharp(bytes).metadata()).width).toBe(1000);
        hashes.add(createHash('sha256').update(bytes).digest('hex'));
      }
      // What the local provider cannot do is said in the output's metadata, not dropped.
      const meta = await sqlRows<{ m: any }>(g, `select metadata as m from generations where id = '${id}'`);
      const m = typeof meta[0]!.m === 'string' ? JSON.parse(meta[0]!.m) : meta[0]!.m;
      expect(m.artifacts.local_headshot.ignored_params).toEqual([expect.objectContaining({ param: 'glasses', value: 'yes' })]);
      expect(new Set(m.artifacts.local_headshot.variants.map((v: { zoom: number }) => v.zoom)).size).toBe(4);
    }
    expect(hashes.size).toBe(8);
    expect((await g.balance(u.id)).held).toBe(0);
  });

  it('fails the subject, naming the photo, for two people or another person, and releases the hold', { timeout: 120_000 }, async () => {
    const u = await g.user(20);
    const ava = await photo(u.token, await portrait('ava'));
    for (const [other, why] of [
      [await photo(u.token, await twoPeople()), /photo 2 \([0-9a-f-]+\): it shows 2 faces/],
      [await photo(u.token, await portrait('cleo')), /photo 2 \([0-9a-f-]+\): it shows a different person|different people/],
    ] as const) {
      const res = await createSubject(u.token, [ava, other]);
      expect(res.statusCode, res.body).toBe(202);
      const subject = await settledSubject(u.token, res.data.id);
      expect(subject.status).toBe('failed');
      expect(subject.error.code).toBe('invalid_input');
      expect(subject.error.message).toMatch(why);
      expect(subject.error.message).toContain(other);
      expect(await g.balance(u.id)).toEqual({ available: 20, held: 0 });
    }
  });

  it('refuses a photo too small for a face at POST /subjects, naming it, with nothing held', async () => {
    const u = await g.user(10);
    const ok = await photo(u.token, await portrait('ava'));
    const tiny = await photo(u.token, await portrait('ava', { size: 100 }));
    const res = await createSubject(u.token, [ok, tiny]);
    expect(res.statusCode).toBe(400);
    expect(res.data.code).toBe('validation_failed');
    expect(JSON.stringify(res.data)).toContain(`photo 2 (${tiny})`);
    expect(Number((await sqlRows<{ n: string }>(g, `select count(*) as n from subjects where user_id = '${u.id}'`))[0]!.n)).toBe(0);
    expect(await g.balance(u.id)).toEqual({ available: 10, held: 0 });
  });
});
