/**
 * Full-reference image quality, for judging upscalers on down-then-up pairs: PSNR over the RGB
 * bytes and SSIM (Wang et al. 2004) on luma. SSIM uses the paper's settings — an 11×11 Gaussian
 * window of σ 1.5, K1 0.01, K2 0.03, L 255 — evaluated at every pixel whose window fits inside the
 * image, and averaged. Both compare two images of the same size; a border can be left out, as
 * super-resolution papers do, because no upscaler can know what lies beyond the image's edge.
 * Edge energy and halved pairs judge the sharpening of the Lanczos path (decision 107).
 */
import sharp from 'sharp';

export interface RgbImage {
  /** RGB bytes, row-major, 3 a pixel. */
  data: Uint8Array;
  width: number;
  height: number;
}

function check(a: RgbImage, b: RgbImage): void {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`image sizes differ: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  if (a.data.length !== a.width * a.height * 3 || b.data.length !== b.width * b.height * 3) throw new Error('expected 3 bytes a pixel');
}

/** Peak signal-to-noise ratio in dB over all three channels (Infinity for identical images). */
export function psnr(a: RgbImage, b: RgbImage, border = 0): number {
  check(a, b);
  let sum = 0;
  let n = 0;
  for (let y = border; y < a.height - border; y++) {
    for (let x = border; x < a.width - border; x++) {
      for (let c = 0, i = (y * a.width + x) * 3; c < 3; c++, i++) {
        const d = a.data[i]! - b.data[i]!;
        sum += d * d;
        n++;
      }
    }
  }
  if (n === 0) throw new Error('the border leaves no pixels');
  const mse = sum / n;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/** ITU-R BT.601 luma, as floats 0–255. */
function luma(img: RgbImage): Float64Array {
  const out = new Float64Array(img.width * img.height);
  for (let p = 0, i = 0; p < out.length; p++, i += 3) out[p] = 0.299 * img.data[i]! + 0.587 * img.data[i + 1]! + 0.114 * img.data[i + 2]!;
  return out;
}

const WINDOW = 11;
const SIGMA = 1.5;
const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;

function gaussian(): Float64Array {
  const r = (WINDOW - 1) / 2;
  const g = Float64Array.from({ length: WINDOW }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * SIGMA * SIGMA)));
  const total = g.reduce((s, v) => s + v, 0);
  return g.map((v) => v / total);
}

/** Separable Gaussian filter, "valid" region only: (w−10)×(h−10) values. */
function blur(src: Float64Array, width: number, height: number, g: Float64Array): Float64Array {
  const ow = width - WINDOW + 1;
  const oh = height - WINDOW + 1;
  const rows = new Float64Array(ow * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k < WINDOW; k++) s += g[k]! * src[y * width + x + k]!;
      rows[y * ow + x] = s;
    }
  }
  const out = new Float64Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k < WINDOW; k++) s += g[k]! * rows[(y + k) * ow + x]!;
      out[y * ow + x] = s;
    }
  }
  return out;
}

function crop(img: RgbImage, border: number): RgbImage {
  if (border === 0) return img;
  const width = img.width - 2 * border;
  const height = img.height - 2 * border;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) data.set(img.data.subarray(((y + border) * img.width + border) * 3, ((y + border) * img.width + border + width) * 3), y * width * 3);
  return { data, width, height };
}

/** Mean structural similarity of the two images' luma, −1…1 (1 for identical images). */
export function ssim(a: RgbImage, b: RgbImage, border = 0): number {
  check(a, b);
  const ca = crop(a, border);
  const cb = crop(b, border);
  const { width, height } = ca;
  if (width < WINDOW || height < WINDOW) throw new Error(`SSIM needs at least ${WINDOW}×${WINDOW} pixels`);
  const x = luma(ca);
  const y = luma(cb);
  const g = gaussian();
  const product = (p: Float64Array, q: Float64Array): Float64Array => p.map((v, i) => v * q[i]!);
  const mx = blur(x, width, height, g);
  const my = blur(y, width, height, g);
  const sxx = blur(product(x, x), width, height, g);
  const syy = blur(product(y, y), width, height, g);
  const sxy = blur(product(x, y), width, height, g);
  let total = 0;
  for (let i = 0; i < mx.length; i++) {
    const mux = mx[i]!;
    const muy = my[i]!;
    const vx = sxx[i]! - mux * mux;
    const vy = syy[i]! - muy * muy;
    const cov = sxy[i]! - mux * muy;
    total += ((2 * mux * muy + C1) * (2 * cov + C2)) / ((mux * mux + muy * muy + C1) * (vx + vy + C2));
  }
  return total / mx.length;
}

/** How much detail an image's edges carry: the summed absolute difference between neighbouring luma values. */
export function edgeEnergy(img: RgbImage): number {
  const y = luma(img);
  const w = img.width;
  let e = 0;
  for (let r = 1; r < img.height; r++) for (let c = 1; c < w; c++) e += Math.abs(y[r * w + c]! - y[r * w + c - 1]!) + Math.abs(y[r * w + c]! - y[(r - 1) * w + c]!);
  return e;
}

/**
 * A photo and its half-size JPEG (Lanczos-3, quality 92): enlarging the half back 2× and comparing
 * with the photo says how close an upscale comes to detail it never saw.
 */
export async function halvedPair(photo: Buffer): Promise<{ truth: RgbImage; half: Buffer }> {
  const meta = await sharp(photo).metadata();
  const width = meta.width - (meta.width % 2);
  const height = meta.height - (meta.height % 2);
  const data = await sharp(photo).extract({ left: 0, top: 0, width, height }).removeAlpha().raw().toBuffer();
  const half = await sharp(data, { raw: { width, height, channels: 3 } }).resize(width / 2, height / 2, { kernel: 'lanczos3' }).jpeg({ quality: 92 }).toBuffer();
  return { truth: { data, width, height }, half };
}
