/**
 * Image quality figures for comparing ways of making the same picture (the upscale's sharpening,
 * decision 107): PSNR over RGB, SSIM over luma in 8×8 windows every 4 pixels, and edge energy (the
 * summed absolute difference between neighbouring luma values), all of equal-sized raw RGB buffers.
 */
import sharp from 'sharp';

export function psnr(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (sum / a.length));
}

function luma(rgb: Buffer): Float64Array {
  const y = new Float64Array(rgb.length / 3);
  for (let i = 0; i < y.length; i++) y[i] = 0.299 * rgb[3 * i]! + 0.587 * rgb[3 * i + 1]! + 0.114 * rgb[3 * i + 2]!;
  return y;
}

export function ssim(rgbA: Buffer, rgbB: Buffer, width: number, height: number): number {
  const [a, b] = [luma(rgbA), luma(rgbB)];
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let total = 0;
  let windows = 0;
  for (let y = 0; y + 8 <= height; y += 4) {
    for (let x = 0; x + 8 <= width; x += 4) {
      let ma = 0;
      let mb = 0;
      for (let j = 0; j < 8; j++) {
        for (let i = 0; i < 8; i++) {
          ma += a[(y + j) * width + x + i]!;
          mb += b[(y + j) * width + x + i]!;
        }
      }
      ma /= 64;
      mb /= 64;
      let va = 0;
      let vb = 0;
      let cov = 0;
      for (let j = 0; j < 8; j++) {
        for (let i = 0; i < 8; i++) {
          const da = a[(y + j) * width + x + i]! - ma;
          const db = b[(y + j) * width + x + i]! - mb;
          va += da * da;
          vb += db * db;
          cov += da * db;
        }
      }
      total += ((2 * ma * mb + c1) * ((2 * cov) / 63 + c2)) / ((ma * ma + mb * mb + c1) * ((va + vb) / 63 + c2));
      windows++;
    }
  }
  return total / windows;
}

export function edgeEnergy(rgb: Buffer, width: number, height: number): number {
  const y = luma(rgb);
  let e = 0;
  for (let r = 1; r < height; r++) for (let c = 1; c < width; c++) e += Math.abs(y[r * width + c]! - y[r * width + c - 1]!) + Math.abs(y[r * width + c]! - y[(r - 1) * width + c]!);
  return e;
}

/**
 * A photo and its half-size JPEG (Lanczos-3, quality 92): enlarging the half back 2× and comparing
 * with the photo says how close an upscale comes to detail it never saw.
 */
export async function halvedPair(photo: Buffer): Promise<{ truth: Buffer; half: Buffer; width: number; height: number }> {
  const meta = await sharp(photo).metadata();
  const width = meta.width - (meta.width % 2);
  const height = meta.height - (meta.height % 2);
  const truth = await sharp(photo).extract({ left: 0, top: 0, width, height }).removeAlpha().raw().toBuffer();
  const half = await sharp(truth, { raw: { width, height, channels: 3 } }).resize(width / 2, height / 2, { kernel: 'lanczos3' }).jpeg({ quality: 92 }).toBuffer();
  return { truth, half, width, height };
}
