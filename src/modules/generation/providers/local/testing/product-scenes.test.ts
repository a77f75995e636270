/**
 * The held-out cut-out set is only worth its figures if its truth is the object as drawn and the
 * same seed always draws the same photo.
 * Real: sharp, the scene drawing, face-api's packaged sample photos. Stand-in: none.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { productScene } from './product-scenes.ts';

const covered = (mask: Buffer): number => mask.reduce((n, v) => n + (v >= 128 ? 1 : 0), 0) / mask.length;

describe('product scenes', () => {
  it('draws the same photo and mask for the same seed, and another for another seed', async () => {
    const a = await productScene('mug', 'plaid', 7, 256);
    const b = await productScene('mug', 'plaid', 7, 256);
    const c = await productScene('mug', 'plaid', 8, 256);
    expect(Buffer.compare(a.jpeg, b.jpeg)).toBe(0);
    expect(Buffer.compare(a.truth, b.truth)).toBe(0);
    expect(Buffer.compare(a.jpeg, c.jpeg)).not.toBe(0);
  });

  it("keeps the mug handle's hole and the shadow out of the truth", async () => {
    const scene = await productScene('mug', 'studio', 3, 320);
    const share = covered(scene.truth);
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.5);
    // Inside the object the photo has the object's colours; the truth is opaque there and clear in
    // the corners, where only background and shadow are.
    const size = scene.width;
    for (const [x, y] of [[2, 2], [size - 3, 2], [2, size - 3], [size - 3, size - 3]] as const) expect(scene.truth[y * size + x]).toBe(0);
    // Across the handle's height a row goes through the body, the hole, then the handle: two
    // separate runs of opaque pixels (a filled-in hole would make one).
    const { height } = await sharp(scene.jpeg).metadata();
    expect(height).toBe(size);
    let most = 0;
    for (let y = Math.round(size * 0.35); y < Math.round(size * 0.6); y++) {
      let runs = 0;
      let inside = false;
      for (let x = 0; x < size; x++) {
        const now = scene.truth[y * size + x]! >= 128;
        if (now && !inside) runs++;
        inside = now;
      }
      most = Math.max(most, runs);
    }
    expect(most).toBeGreaterThanOrEqual(2);
  });

  it('draws every object over every kind of background', async () => {
    for (const [object, bg] of [['plant', 'photo'], ['sunglasses', 'knit'], ['chair', 'clutter'], ['lamp', 'wood'], ['watch', 'marble']] as const) {
      const scene = await productScene(object, bg, 1, 192);
      expect(covered(scene.truth), `${object} on ${bg}`).toBeGreaterThan(0.01);
    }
  });
});
