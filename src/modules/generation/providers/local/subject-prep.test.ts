/**
 * Subject preparation on the local provider: faces found, measured and checked per photo.
 * Real: the face-api models from their npm package on TensorFlow.js's WebAssembly backend in a
 * worker thread (loaded once for this file), sharp. Stand-ins: none. The photos are portraits cut
 * from the sample photos the face-api package ships (testing/portraits.ts): three crops and
 * treatments of one woman, two other women, and a crop holding two people; blurred, dark and
 * shrunk versions are made with sharp.
 */
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ZLocalSubject } from '../../../catalog/index.ts';
import { ProviderError, type ProviderImage } from '../provider.ts';
import { createFaceFinder } from './faces.ts';
import { descriptorDistance, faceLimits, prepareSubject, refusalOf } from './subject-prep.ts';
import { portrait, twoPeople } from './testing/portraits.ts';

const finder = createFaceFinder();
afterAll(async () => finder.close());

const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'];
const image = (bytes: Buffer, i: number): ProviderImage => ({ role: 'subject', assetId: ids[i]!, mimeType: 'image/jpeg', width: 0, height: 0, bytes });
const refusal = async (images: ProviderImage[]): Promise<ProviderError> => {
  const err = await prepareSubject(images, finder).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  expect((err as ProviderError).code).toBe('invalid_input');
  return err as ProviderError;
};

describe('prepareSubject', () => {
  it('prepares three photos of one person: a face each, 68 landmarks, a descriptor, a quality, the best reference', { timeout: 60_000 }, async () => {
    const photos = [await portrait('ava'), await portrait('ava', { zoom: 3.6, mirror: true, shift: [0.2, 0] }), await portrait('ava', { zoom: 2.6, light: 1.15 })];
    const subject = await prepareSubject(photos.map(image), finder);
    expect(ZLocalSubject.parse(subject)).toEqual(subject);
    expect(subject.photos.map((p) => p.asset_id)).toEqual(ids);
    for (const p of subject.photos) {
      expect(p.box.width).toBeGreaterThan(150);
      // The landmarks lie in and around the face box.
      for (const [x, y] of p.landmarks) {
        expect(x).toBeGreaterThan(p.box.x - p.box.width * 0.3);
        expect(x).toBeLessThan(p.box.x + p.box.width * 1.3);
        expect(y).toBeGreaterThan(p.box.y - p.box.height * 0.3);
        expect(y).toBeLessThan(p.box.y + p.box.height * 1.3);
      }
      expect(p.quality).toBeGreaterThan(0.3);
    }
    expect(subject.max_distance).toBeLessThan(faceLimits.maxSamePersonDistance);
    const best = subject.photos.reduce((a, b) => (b.quality > a.quality ? b : a));
    expect(subject.best_reference_asset_id).toBe(best.asset_id);
  });

  it('tells one person from another by descriptor distance', { timeout: 60_000 }, async () => {
    const [a1, a2, b, c] = await Promise.all([portrait('ava'), portrait('ava', { mirror: true, light: 0.9 }), portrait('bea'), portrait('cleo')].map(async (p) => (await finder.find(await p)).faces[0]!.descriptor));
    expect(descriptorDistance(a1!, a2!)).toBeLessThan(faceLimits.maxSamePersonDistance);
    expect(descriptorDistance(a1!, b!)).toBeGreaterThan(faceLimits.maxSamePersonDistance);
    expect(descriptorDistance(a1!, c!)).toBeGreaterThan(faceLimits.maxSamePersonDistance);
  });

  it('refuses another person among the photos, naming that photo', { timeout: 60_000 }, async () => {
    const err = await refusal([image(await portrait('ava'), 0), image(await portrait('ava', { mirror: true }), 1), image(await portrait('cleo'), 2)]);
    expect(err.message).toContain(`photo 3 (${ids[2]}): it shows a different person`);
    expect(err.message).not.toContain('photo 1');
  });

  it('refuses two photos of different people as different people', { timeout: 60_000 }, async () => {
    const err = await refusal([image(await portrait('ava'), 0), image(await portrait('bea'), 1)]);
    expect(err.message).toMatch(/photo 1 .*different people.*photo 2 .*different people/);
  });

  it('refuses a photo of two people, a blurred, a dark and a small face, and a photo without a face, each by name', { timeout: 60_000 }, async () => {
    const noFace = await sharp({ create: { width: 400, height: 500, channels: 3, background: '#7a8899' } }).jpeg().toBuffer();
    const cases: [Buffer, RegExp][] = [
      [await twoPeople(), /it shows 2 faces/],
      [await portrait('ava', { blur: 2.5 }), /blurred/],
      [await portrait('ava', { light: 0.25 }), /too dark/],
      [await portrait('ava', { size: 260 }), /under 128 px/],
      [noFace, /no face was found/],
    ];
    for (const [bytes, why] of cases) {
      const err = await refusal([image(await portrait('ava'), 0), image(bytes, 1)]);
      expect(err.message).toMatch(new RegExp(`photo 2 \\(${ids[1]}\\): [^;]*${why.source}`));
      expect(err.message).not.toContain('photo 1');
    }
  });

  it('refusalOf reads overexposure and several faces from the measures alone', () => {
    const face = { box: { x: 0, y: 0, width: 200, height: 200 }, score: 1, landmarks: [], descriptor: [], sharpness: 100, brightness: 230, clipped: 0.4 };
    expect(refusalOf({ width: 400, height: 400, faces: [face] })).toMatch(/overexposed/);
    expect(refusalOf({ width: 400, height: 400, faces: [face, face, face] })).toMatch(/3 faces/);
    expect(refusalOf({ width: 400, height: 400, faces: [{ ...face, brightness: 120, clipped: 0 }] })).toBeUndefined();
  });
});

describe('the face model', () => {
  it('that cannot load is a provider_error for the caller, and the process goes on', { timeout: 60_000 }, async () => {
    const broken = createFaceFinder({ modelDir: '/nonexistent/face-models' });
    try {
      const err = await broken.find(await portrait('ava')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect((err as ProviderError).code).toBe('provider_error');
      expect((err as ProviderError).message).toMatch(/face model failed to load/);
    } finally {
      await broken.close();
    }
  });
});
