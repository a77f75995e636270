// Real sharp rendering and the projective warp on a pattern drawn in the test; nothing is a stand-in.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { variantRandom } from './common.ts';
import { toLayer, type Layer } from './layers.ts';
import { apply, homography } from './perspective.ts';
import { centimetres, renderRoom, type RoomParams } from './room-scene.ts';

const dots = (): Promise<Layer> =>
  toLayer(sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100" fill="#f3ead8"/><circle cx="50" cy="50" r="22" fill="#c02030"/></svg>`)).ensureAlpha());

const params = (p: Partial<RoomParams>): RoomParams => ({
  placement: 'wallpaper',
  repeatCm: 60,
  wallWidthCm: 360,
  wallHeightCm: 260,
  cameraAngle: 'eye_level',
  aspectRatio: '4:3',
  sceneType: 'modern_living_room',
  lighting: 'natural_daylight',
  ...p,
});

const isRed = (px: number[]): boolean => px[0]! > 110 && px[0]! > px[1]! + 60 && px[0]! > px[2]! + 50;

/** Red runs (dots) along each row of the image between x0 and x1: the most found on any row, and their centres on that row. */
async function dotRuns(jpeg: Buffer, x0: number, x1: number, y0: number, y1: number): Promise<number[]> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  let best: number[] = [];
  for (let y = Math.ceil(y0); y < y1; y += 2) {
    const centres: number[] = [];
    let start = -1;
    let lastEnd = -1;
    for (let x = Math.ceil(x0); x < x1; x++) {
      const i = (y * info.width + x) * 3;
      const red = isRed([data[i]!, data[i + 1]!, data[i + 2]!]);
      if (red && start < 0) start = x;
      if (!red && start >= 0) {
        // JPEG noise can break one dot into two runs a pixel or two apart: join those.
        const last = centres.length > 0 ? centres[centres.length - 1]! : -Infinity;
        if (x - start > 2) {
          if (start - lastEnd <= 4 && lastEnd >= 0) centres[centres.length - 1] = (last * 2 - lastEnd + x) / 2;
          else centres.push((start + x) / 2);
          lastEnd = x;
        }
        start = -1;
      }
    }
    if (centres.length > best.length) best = centres;
  }
  return best;
}

describe('renderRoom', () => {
  it('tiles the pattern at its real repeat: 360 cm of wall, 60 cm repeat → 6 across; 120 cm → 3', async () => {
    for (const [repeatCm, expected] of [
      [60, 6],
      [120, 3],
    ] as const) {
      const { jpeg, layout } = await renderRoom(await dots(), params({ repeatCm }), variantRandom('r', 0));
      expect(layout.repeatsAcross).toBe(expected);
      const [tl, tr, br] = layout.wall;
      const runs = await dotRuns(jpeg, tl![0] + 2, tr![0] - 2, tl![1] + 2, br![1] - 2);
      expect(runs, JSON.stringify(runs)).toHaveLength(expected);
    }
  });

  it('puts the wall in perspective when angled: the far end shorter and the dots closer together', async () => {
    const { jpeg, layout } = await renderRoom(await dots(), params({ cameraAngle: 'angled' }), variantRandom('r', 1));
    const [tl, tr, br, bl] = layout.wall as [number, number][];
    expect(br![1] - tr![1]).toBeLessThan(bl![1] - tl![1]);
    const runs = await dotRuns(jpeg, tl![0] + 2, tr![0] - 2, tr![1] + 2, br![1] - 2);
    expect(runs.length).toBeGreaterThanOrEqual(5);
    const firstGap = runs[1]! - runs[0]!;
    const lastGap = runs[runs.length - 1]! - runs[runs.length - 2]!;
    expect(lastGap).toBeLessThan(firstGap * 0.8);
  });

  it('hangs artwork centred on the wall at its width, with plain wall around it', async () => {
    const { jpeg, layout } = await renderRoom(await dots(), params({ placement: 'artwork', repeatCm: 90 }), variantRandom('r', 2));
    const [tl, tr, br] = layout.wall as [number, number][];
    const runs = await dotRuns(jpeg, tl![0], tr![0], tl![1], br![1]);
    expect(runs).toHaveLength(1);
    expect(Math.abs(runs[0]! - (tl![0] + tr![0]) / 2)).toBeLessThan((tr![0] - tl![0]) * 0.05);
  });

  it('refuses a repeat wider than the wall, bad lengths and an empty artwork with invalid_input', async () => {
    await expect(renderRoom(await dots(), params({ repeatCm: 500 }), variantRandom('r', 0))).rejects.toMatchObject({ code: 'invalid_input' });
    expect(() => centimetres('wide', 'pattern_repeat')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(centimetres('64cm', 'x')).toBe(64);
    expect(centimetres('0.53 m', 'x')).toBeCloseTo(53);
    expect(centimetres('10in', 'x')).toBeCloseTo(25.4);
    const empty = await toLayer(sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }));
    await expect(renderRoom(empty, params({ placement: 'artwork' }), variantRandom('r', 0))).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('homography maps the four corners exactly', () => {
    const from: [number, number][] = [[0, 0], [100, 0], [100, 50], [0, 50]];
    const to: [number, number][] = [[10, 5], [80, 20], [85, 70], [5, 90]];
    const h = homography(from, to);
    from.forEach((p, i) => {
      const [x, y] = apply(h, p[0], p[1]);
      expect(x).toBeCloseTo(to[i]![0], 6);
      expect(y).toBeCloseTo(to[i]![1], 6);
    });
  });
});
