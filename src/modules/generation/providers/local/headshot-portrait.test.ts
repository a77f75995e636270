/**
 * The edge colour clean-up of a headshot's cut-out. Real: headshot-portrait.ts and sharp.
 * Stand-ins: none (a made-up cut-out: a blue figure whose soft edge still carries a red background).
 */
import { describe, expect, it } from 'vitest';
import { decontaminate } from './headshot-portrait.ts';

describe('decontaminate', () => {
  it("pulls a soft edge's colour toward the figure's own and leaves opaque and empty pixels alone", async () => {
    const W = 40;
    const H = 20;
    const rgba = Buffer.alloc(W * H * 4);
    const alpha = Buffer.alloc(W * H);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = y * W + x;
        // Figure (blue, opaque) left of x = 20; a soft edge at x = 20–22 coloured by the old red background.
        const a = x < 20 ? 255 : x < 23 ? 120 : 0;
        const colour = x < 20 ? [20, 40, 200] : [220, 30, 30];
        rgba.set([...colour, a], i * 4);
        alpha[i] = a;
      }
    }
    const out = await decontaminate(rgba, alpha, W, H);
    const at = (x: number) => [...out.subarray((10 * W + x) * 4, (10 * W + x) * 4 + 3)];
    expect(at(5)).toEqual([20, 40, 200]);
    expect(at(30)).toEqual([220, 30, 30]);
    const edge = at(20);
    expect(edge[0]).toBeLessThan(170);
    expect(edge[2]).toBeGreaterThan(80);
  });
});
