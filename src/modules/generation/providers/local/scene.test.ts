// Real sharp compositing of a product cut-out (drawn in the test) onto rendered backdrops.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { variantRandom } from './common.ts';
import { toLayer } from './layers.ts';
import { composeScene, type SceneParams } from './scene.ts';

const redBox = async (): Promise<Awaited<ReturnType<typeof toLayer>>> =>
  toLayer(
    sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="200" height="300"><rect x="40" y="30" width="120" height="240" rx="10" fill="#d02020"/></svg>`)).ensureAlpha(),
  );

async function pixels(jpeg: Buffer): Promise<{ at(x: number, y: number): number[]; width: number; height: number; mean(x0: number, y0: number, x1: number, y1: number): number }> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number): number[] => {
    const i = (Math.round(y) * info.width + Math.round(x)) * 3;
    return [data[i]!, data[i + 1]!, data[i + 2]!];
  };
  const mean = (x0: number, y0: number, x1: number, y1: number): number => {
    let s = 0;
    let n = 0;
    for (let y = Math.round(y0); y < y1; y += 2) for (let x = Math.round(x0); x < x1; x += 2) {
      const [r, g, b] = at(x, y);
      s += r! + g! + b!;
      n++;
    }
    return s / n / 3;
  };
  return { at, width: info.width, height: info.height, mean };
}

const params = (p: Partial<SceneParams>): SceneParams => ({ sceneType: 'studio', lighting: 'studio_softbox', cameraAngle: 'eye_level', aspectRatio: '1:1', ...p });

describe('composeScene (model_shot, lifestyle)', () => {
  it('sizes the canvas from aspect_ratio and puts the product where the layout says', async () => {
    for (const aspectRatio of ['16:9', '9:16', '1:1']) {
      const { jpeg, layout } = await composeScene(await redBox(), params({ aspectRatio, sceneType: 'modern_living_room' }), 'lifestyle', variantRandom('g', 0));
      const img = await pixels(jpeg);
      const [w, h] = aspectRatio.split(':').map(Number) as [number, number];
      expect(Math.abs(img.width / img.height - w / h)).toBeLessThan(0.01);
      const [r, g, b] = img.at(layout.product.left + layout.product.width / 2, layout.product.top + layout.product.height / 2);
      expect(r!).toBeGreaterThan(g! + 60);
      expect(r!).toBeGreaterThan(b! + 60);
      // The product stands on the floor: its base is below the canvas middle.
      expect(layout.product.top + layout.product.height).toBeGreaterThan(img.height / 2);
    }
  });

  it('lights the side the preset names and throws the shadow to the other side', async () => {
    const { jpeg, layout } = await composeScene(await redBox(), params({ lighting: 'golden_hour', sceneType: 'office' }), 'lifestyle', variantRandom('g', 1));
    expect(layout.lightFromLeft).toBe(true);
    const img = await pixels(jpeg);
    const wallTop = img.height * 0.1;
    const wallBottom = img.height * 0.4;
    expect(img.mean(img.width * 0.05, wallTop, img.width * 0.3, wallBottom)).toBeGreaterThan(img.mean(img.width * 0.7, wallTop, img.width * 0.95, wallBottom) + 5);
    const p = layout.product;
    const baseY = p.top + p.height;
    // Just right of the product on the floor (in the shadow) is darker than the same distance to the left.
    const right = img.mean(p.left + p.width * 1.05, baseY + 4, p.left + p.width * 1.35, baseY + 24);
    const left = img.mean(p.left - p.width * 0.35, baseY + 4, p.left - p.width * 0.05, baseY + 24);
    expect(right).toBeLessThan(left - 8);
  });

  it('reflects the product on a glossy studio floor but not when seen from above', async () => {
    const shot = await composeScene(await redBox(), params({}), 'model_shot', variantRandom('g', 2));
    expect(shot.layout.reflection).toBe(true);
    const img = await pixels(shot.jpeg);
    const p = shot.layout.product;
    const [r, g] = img.at(p.left + p.width / 2, p.top + p.height + p.height * 0.04);
    expect(r!).toBeGreaterThan(g! + 15); // red showing through below the base

    const above = await composeScene(await redBox(), params({ cameraAngle: 'top_down' }), 'model_shot', variantRandom('g', 2));
    expect(above.layout.reflection).toBe(false);
  });

  it('gives the same image for the same variant and a different one for another', async () => {
    const p = params({ sceneType: 'kitchen', lighting: 'natural_daylight' });
    const a = await composeScene(await redBox(), p, 'lifestyle', variantRandom('gen-1', 0));
    const b = await composeScene(await redBox(), p, 'lifestyle', variantRandom('gen-1', 0));
    const c = await composeScene(await redBox(), p, 'lifestyle', variantRandom('gen-1', 1));
    expect(a.jpeg.equals(b.jpeg)).toBe(true);
    expect(a.jpeg.equals(c.jpeg)).toBe(false);
    expect(a.layout.product.left).not.toBe(c.layout.product.left);
  });

  it('refuses an empty cut-out and a malformed aspect ratio', async () => {
    const empty = await toLayer(sharp({ create: { width: 10, height: 10, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }));
    await expect(composeScene(empty, params({}), 'model_shot', variantRandom('g', 0))).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(composeScene(await redBox(), params({ aspectRatio: 'wide' }), 'model_shot', variantRandom('g', 0))).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
