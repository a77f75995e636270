/**
 * Local provider benchmarks, as ratios against a baseline measured in the same run, over several
 * interleaved rounds (the machine is shared; a ratio from one round can be off, the range says how
 * much):
 * - upscale 2× of a 1 MP JPEG (Lanczos-3 + unsharp mask + JPEG) against sharp alone doing the same
 *   Lanczos-3 resize and JPEG encode; as throughput, ours / sharp's. Beside it, how close its
 *   output comes to the original when doubling halved photos, against sharpening after the
 *   enlargement as it was done before decision 107 and against Lanczos-3 alone (PSNR, SSIM, edge
 *   energy as a share of the original's).
 * - background removal of a ~1 MP photo, warm (two runs each first), against @imgly/background-removal-node's own
 *   removeBackground (medium model) on the same image; as time, ours / the library's. The mask IoU
 *   of both against the photo's known object mask is printed beside it.
 * - upscale quality (decision 111): seven photos — six 256×256 crops of the real photographs
 *   that @vladmandic/face-api ships in its demo/ folder (halved first, so their JPEG blocks are
 *   gone) and one synthetic textured product photo — reduced 2× and 4× (bicubic) and enlarged back
 *   by today's Lanczos-3 + sharpen path (the baseline) and by the learned model; mean PSNR (RGB)
 *   and SSIM (luma) against the originals, 4 px border left out, and the time an image takes.
 * - the learned model's speed on a 512×512 input at 2× and 4×, warm, as seconds a megapixel of
 *   input, against the Lanczos path on the same input.
 *
 *   node bench/local-provider.ts            (also part of npm run bench)
 *   BENCH_ROUNDS=5 node bench/local-provider.ts
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { createSegmenter } from '../src/modules/generation/providers/local/segmenter.ts';
import { createSuperResolution, type SuperResolution } from '../src/modules/generation/providers/local/super-resolution.ts';
import { edgeEnergy, halvedPair, psnr, ssim, type RgbImage } from '../src/modules/generation/providers/local/testing/image-quality.ts';
import { maskIoU, productPhoto } from '../src/modules/generation/providers/local/testing/synthetic.ts';
import { upscale } from '../src/modules/generation/providers/local/upscale.ts';
import { demo } from '../src/modules/generation/providers/local/testing/portraits.ts';
import { alphaOf, libraryCutout } from './library-cutout.ts';

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const range = (xs: number[]): string => (xs.length === 1 ? xs[0]!.toFixed(2) : `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function localProviderBench(rounds = Number(process.env.BENCH_ROUNDS ?? 5)): Promise<string[]> {
  const lines: string[] = [];
  const photo = await productPhoto('textured', 1200, 900, 11); // 1.08 MP

  // Upscale throughput: the same number of runs of each, alternating, several times.
  const ratios: number[] = [];
  let lastOurs = 0;
  let lastSharp = 0;
  const runs = 4;
  const sharpAlone = (): Promise<Buffer> => sharp(photo.jpeg).resize(2400, 1800, { kernel: 'lanczos3', fit: 'fill' }).jpeg({ quality: 92, mozjpeg: true }).toBuffer();
  await sharpAlone();
  await upscale(photo.jpeg, { scale: 2 });
  for (let r = 0; r < rounds; r++) {
    const tSharp = await timed(async () => {
      for (let i = 0; i < runs; i++) await sharpAlone();
    });
    const tOurs = await timed(async () => {
      for (let i = 0; i < runs; i++) await upscale(photo.jpeg, { scale: 2 });
    });
    lastSharp = (runs * 1000) / tSharp;
    lastOurs = (runs * 1000) / tOurs;
    ratios.push(lastOurs / lastSharp);
  }
  lines.push(`sharp alone, 1 MP JPEG → 2× Lanczos-3 JPEG (baseline): ${lastSharp.toFixed(2)} /s = 1.00`);
  lines.push(`upscale 2× (Lanczos-3 + sharpen), same image: ${lastOurs.toFixed(2)} /s = ${range(ratios)} × baseline over ${rounds} rounds`);

  lines.push(...(await upscaleQuality()));

  // Background removal, warm.
  const segmenter = createSegmenter();
  const ours = async (): Promise<Buffer> => {
    const cut = await segmenter.cutout(photo.jpeg);
    return sharp(cut.rgba, { raw: { width: cut.width, height: cut.height, channels: 4 } }).png().toBuffer();
  };
  const theirs = (): Promise<Buffer> => libraryCutout(photo.jpeg);
  // Warm both: model loaded, sessions created, and two runs each — a fresh onnxruntime session's
  // first runs are slower (its arena and allocation plans settle over them), for both sides.
  await ours();
  await theirs();
  const oursOut = await ours();
  const theirsOut = await theirs();
  const timesOurs: number[] = [];
  const timesTheirs: number[] = [];
  const timeRatios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const a = await timed(ours);
    const b = await timed(theirs);
    timesOurs.push(a);
    timesTheirs.push(b);
    timeRatios.push(a / b);
  }
  await segmenter.close();
  const iouOurs = maskIoU(await alphaOf(oursOut), photo.truth);
  const iouTheirs = maskIoU(await alphaOf(theirsOut), photo.truth);
  lines.push(`@imgly removeBackground (medium), 1200×900 photo, warm (baseline): ${(median(timesTheirs) / 1000).toFixed(2)} s median = 1.00, mask IoU ${iouTheirs.toFixed(4)}`);
  lines.push(
    `local background removal, same image, warm: ${(median(timesOurs) / 1000).toFixed(2)} s median = ${(median(timesOurs) / median(timesTheirs)).toFixed(2)} × baseline (rounds ${range(timeRatios)} over ${rounds}), mask IoU ${iouOurs.toFixed(4)}`,
  );
  return lines;
}

/** Three of face-api's sample photos and a synthetic product shot, each halved and doubled back. */
async function upscaleQuality(): Promise<string[]> {
  const photos = [...[1, 2, 3].map((n) => join(demo, `sample${n}.jpg`)), (await productPhoto('textured', 2400, 1800, 11)).jpeg];
  const ways: Record<string, (half: Buffer, width: number, height: number) => Promise<Buffer>> = {
    ours: async (half) => sharp((await upscale(half, { scale: 2, format: 'png' })).bytes).removeAlpha().raw().toBuffer(),
    'sharpened after (before decision 107)': (half, width, height) =>
      sharp(half).resize(width, height, { kernel: 'lanczos3', fit: 'fill' }).sharpen({ sigma: 0.8, m1: 0.5, m2: 1.5 }).raw().toBuffer(),
    'Lanczos-3 alone': (half, width, height) => sharp(half).resize(width, height, { kernel: 'lanczos3', fit: 'fill' }).raw().toBuffer(),
  };
  const sums = Object.fromEntries(Object.keys(ways).map((k) => [k, { psnr: 0, ssim: 0, edges: 0 }]));
  for (const photo of photos) {
    const { truth, half } = await halvedPair(await sharp(photo).toBuffer());
    const { width, height } = truth;
    for (const [name, way] of Object.entries(ways)) {
      const out: RgbImage = { data: await way(half, width, height), width, height };
      sums[name]!.psnr += psnr(out, truth) / photos.length;
      sums[name]!.ssim += ssim(out, truth) / photos.length;
      sums[name]!.edges += edgeEnergy(out) / edgeEnergy(truth) / photos.length;
    }
  }
  return Object.entries(sums).map(
    ([name, m]) => `  2× of halved photos, ${name}: PSNR ${m.psnr.toFixed(3)} dB, SSIM ${m.ssim.toFixed(5)}, edge energy ${m.edges.toFixed(4)} of the original's (mean of ${photos.length})`,
  );
}

const CROP = 256;

/** The quality set: six crops of real photographs and one synthetic product photo, RGB bytes. */
async function qualityPhotos(): Promise<RgbImage[]> {
  const photos: RgbImage[] = [];
  for (let i = 1; i <= 6; i++) {
    const file = join(demo, `sample${i}.jpg`);
    const meta = await sharp(file).metadata();
    const w = Math.round(meta.width / 2);
    const h = Math.round(meta.height / 2);
    const data = await sharp(file)
      .resize(w, h)
      .extract({ left: Math.floor((w - CROP) / 2), top: Math.floor((h - CROP) / 2), width: CROP, height: CROP })
      .removeAlpha()
      .raw()
      .toBuffer();
    photos.push({ data, width: CROP, height: CROP });
  }
  const product = await productPhoto('textured', 800, 600, 3);
  photos.push({ data: await sharp(product.jpeg).extract({ left: 272, top: 172, width: CROP, height: CROP }).raw().toBuffer(), width: CROP, height: CROP });
  return photos;
}

/** Mean PSNR, SSIM and milliseconds an image for one way of enlarging the reduced photos back. */
async function downThenUp(photos: RgbImage[], scale: 2 | 4, model: SuperResolution | undefined): Promise<{ psnr: number; ssim: number; ms: number }> {
  let p = 0;
  let q = 0;
  let ms = 0;
  for (const photo of photos) {
    const small = await sharp(photo.data, { raw: { width: CROP, height: CROP, channels: 3 } })
      .resize(CROP / scale, CROP / scale, { kernel: 'cubic' })
      .png()
      .toBuffer();
    const t = performance.now();
    const out = await upscale(small, { scale, format: 'png' }, { model });
    ms += performance.now() - t;
    const up: RgbImage = { data: await sharp(out.bytes).removeAlpha().raw().toBuffer(), width: CROP, height: CROP };
    p += psnr(up, photo, 4);
    q += ssim(up, photo, 4);
  }
  return { psnr: p / photos.length, ssim: q / photos.length, ms: ms / photos.length };
}

/** Upscale quality and the learned model's speed, each against today's Lanczos path in the same run. */
export async function upscaleQualityBench(rounds = Math.min(3, Number(process.env.BENCH_ROUNDS ?? 3))): Promise<string[]> {
  const lines: string[] = [];
  const photos = await qualityPhotos();
  const model = createSuperResolution();
  try {
    await model.warm();
    for (const scale of [2, 4] as const) {
      const base = await downThenUp(photos, scale, undefined);
      const learned = await downThenUp(photos, scale, model);
      lines.push(`upscale ${scale}× quality, ${photos.length} photos (6 real, 1 synthetic) down-then-up, Lanczos-3 + sharpen (baseline): PSNR ${base.psnr.toFixed(2)} dB, SSIM ${base.ssim.toFixed(4)}, ${base.ms.toFixed(0)} ms/image = 1.00`);
      lines.push(
        `upscale ${scale}× quality, same photos, learned model (esrgan-slim x${scale}): PSNR ${learned.psnr.toFixed(2)} dB (${(learned.psnr - base.psnr).toFixed(2)} dB), SSIM ${learned.ssim.toFixed(4)} (${(learned.ssim - base.ssim).toFixed(4)}), ${learned.ms.toFixed(0)} ms/image = ${(learned.ms / base.ms).toFixed(1)} × baseline time`,
      );
    }
    // Speed on a larger input, warm: the model against the Lanczos path, interleaved.
    const input = await sharp((await productPhoto('textured', 512, 512, 5)).jpeg).png().toBuffer();
    for (const scale of [2, 4] as const) {
      await upscale(input, { scale }, { model });
      const fast: number[] = [];
      const slow: number[] = [];
      for (let r = 0; r < rounds; r++) {
        fast.push(await timed(() => upscale(input, { scale })));
        slow.push(await timed(() => upscale(input, { scale }, { model })));
      }
      const mp = (512 * 512) / 1e6;
      lines.push(`upscale ${scale}×, 512×512 input, Lanczos-3 + sharpen (baseline): ${(median(fast) / 1000 / mp).toFixed(2)} s per input MP = 1.00`);
      lines.push(`upscale ${scale}×, same input, learned model, warm: ${(median(slow) / 1000 / mp).toFixed(2)} s per input MP = ${(median(slow) / median(fast)).toFixed(0)} × baseline over ${rounds} rounds`);
    }
  } finally {
    await model.close();
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const only = process.argv.includes('--upscale');
  process.stdout.write(`${(only ? await upscaleQualityBench() : [...(await localProviderBench()), ...(await upscaleQualityBench())]).join('\n')}\n`);
}
