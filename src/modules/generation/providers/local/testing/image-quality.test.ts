/**
 * PSNR and SSIM on small images made here whose values can be worked out by hand (flat images,
 * a known offset); noise and blur stand in for an upscaler's errors. Nothing else is a stand-in.
 */
import { describe, expect, it } from 'vitest';
import { rng } from '../random.ts';
import { psnr, ssim, type RgbImage } from './image-quality.ts';

const flat = (v: number, width = 20, height = 16): RgbImage => ({ data: new Uint8Array(width * height * 3).fill(v), width, height });

function noisy(seed: number, width = 40, height = 32): RgbImage {
  const r = rng(seed);
  return { data: Uint8Array.from({ length: width * height * 3 }, () => Math.floor(r() * 256)), width, height };
}

const map = (img: RgbImage, f: (v: number, i: number) => number): RgbImage => ({ ...img, data: Uint8Array.from(img.data, (v, i) => Math.max(0, Math.min(255, f(v, i)))) });

/** A 3×3 box blur of each channel (edges clamped). */
function boxBlur(img: RgbImage): RgbImage {
  const { width, height } = img;
  return map(img, (_, i) => {
    const c = i % 3;
    const p = (i - c) / 3;
    const x = p % width;
    const y = (p - x) / width;
    let s = 0;
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const xx = Math.min(width - 1, Math.max(0, x + dx));
        const yy = Math.min(height - 1, Math.max(0, y + dy));
        s += img.data[(yy * width + xx) * 3 + c]!;
      }
    return Math.round(s / 9);
  });
}

describe('psnr', () => {
  it('is infinite for identical images and 10·log10(255²/d²) for a uniform difference d', () => {
    expect(psnr(flat(100), flat(100))).toBe(Infinity);
    expect(psnr(flat(100), flat(105))).toBeCloseTo(10 * Math.log10((255 * 255) / 25), 10);
    expect(psnr(flat(0), flat(255))).toBeCloseTo(0, 10);
  });

  it('leaves the border out when asked', () => {
    const a = flat(50);
    // A difference only in the outermost ring of pixels.
    const b = map(a, (v, i) => {
      const p = Math.floor(i / 3);
      const x = p % a.width;
      const y = Math.floor(p / a.width);
      return x === 0 || y === 0 || x === a.width - 1 || y === a.height - 1 ? 0 : v;
    });
    expect(psnr(a, b)).toBeLessThan(30);
    expect(psnr(a, b, 1)).toBe(Infinity);
  });

  it('refuses images of different sizes', () => {
    expect(() => psnr(flat(1, 20, 16), flat(1, 16, 20))).toThrow(/sizes differ/);
  });
});

describe('ssim', () => {
  it('is 1 for identical images and symmetric', () => {
    const a = noisy(1);
    const b = map(a, (v, i) => v + ((i * 7) % 11) - 5);
    expect(ssim(a, a)).toBeCloseTo(1, 12);
    expect(ssim(a, b)).toBeCloseTo(ssim(b, a), 12);
  });

  it('matches the closed form on flat images: (2μxμy + C1) / (μx² + μy² + C1)', () => {
    const c1 = (0.01 * 255) ** 2;
    expect(ssim(flat(100), flat(140))).toBeCloseTo((2 * 100 * 140 + c1) / (100 * 100 + 140 * 140 + c1), 10);
  });

  it('ranks a mild blur above strong noise, and both below the original', () => {
    const img = boxBlur(boxBlur(noisy(2, 64, 48))); // some structure to lose
    const blurred = boxBlur(img);
    const r = rng(3);
    const noised = map(img, (v) => v + (r() - 0.5) * 120);
    const sBlur = ssim(img, blurred);
    const sNoise = ssim(img, noised);
    expect(sBlur).toBeLessThan(1);
    expect(sNoise).toBeLessThan(sBlur);
    expect(psnr(img, noised)).toBeLessThan(psnr(img, blurred));
  });

  it('needs at least a window of pixels after the border', () => {
    expect(() => ssim(flat(1, 20, 16), flat(1, 20, 16), 3)).toThrow(/at least 11×11/);
  });
});
