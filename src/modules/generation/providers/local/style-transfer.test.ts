/** Lab conversion round trip and the statistics transfer (decision 046). Real: the arithmetic and sharp; no stand-ins. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { labStats, labToRgb, rgbToLab, transferLabStats, transferLook } from './style-transfer.ts';

describe('Lab statistics transfer', () => {
  it('round-trips sRGB through Lab within one level', () => {
    const rgb = Buffer.from([0, 0, 0, 255, 255, 255, 200, 30, 40, 12, 180, 90, 128, 128, 128]);
    const back = labToRgb(rgbToLab(rgb));
    for (let i = 0; i < rgb.length; i++) expect(Math.abs(back[i]! - rgb[i]!)).toBeLessThanOrEqual(1);
  });

  it('gives the input the reference mean and spread at full strength, and nothing at zero', () => {
    const input = rgbToLab(Buffer.from([20, 40, 200, 60, 80, 220, 40, 60, 180]));
    const reference = labStats(rgbToLab(Buffer.from([200, 40, 20, 240, 90, 40, 160, 20, 10])));
    const full = labStats(transferLabStats(Float32Array.from(input), labStats(input), reference, 1));
    for (let c = 0; c < 3; c++) {
      expect(full.mean[c]).toBeCloseTo(reference.mean[c]!, 3);
      expect(full.std[c]).toBeCloseTo(reference.std[c]!, 3);
    }
    expect(transferLabStats(Float32Array.from(input), labStats(input), reference, 0)).toEqual(input);
  });

  it('makes a blue photo red-toned and keeps its size', async () => {
    const blue = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3050c0' } }).png().toBuffer();
    const red = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#c04020' } }).png().toBuffer();
    const out = await transferLook(blue, red, 1);
    expect([out.width, out.height]).toEqual([64, 48]);
    const { channels } = await sharp(out.jpeg).stats();
    expect(channels[0]!.mean).toBeGreaterThan(channels[2]!.mean + 60);
  });
});
