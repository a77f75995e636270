/**
 * Background removal: sharp resizes the image for the network and applies the mask as alpha; the
 * network runs in one worker thread per process (segmenter.worker.ts), loaded on first use and
 * kept. Requests are served one at a time: on a small machine two concurrent runs only slow both.
 */
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { createModelWorker } from './model-worker.ts';
import { joinAlpha } from './layers.ts';
import type { SegmentationModel } from './segmenter.model.ts';
import type { SegmenterWorkerData } from './segmenter.worker.ts';

const SIDE = 1024;

export interface SegmenterOptions {
  model?: SegmentationModel;
  /** Threads for each operator; defaults to the machine's parallelism (at most 4). */
  intraOpThreads?: number;
}

export interface Mask {
  /** One byte of opacity per pixel, row-major, at the image's own size. */
  alpha: Buffer;
  width: number;
  height: number;
}

export interface Segmenter {
  /** The foreground's opacity for an image (any format sharp reads). */
  mask(image: Buffer, signal?: AbortSignal): Promise<Mask>;
  /** The image with its background made transparent, as raw RGBA pixels. */
  cutout(image: Buffer, signal?: AbortSignal): Promise<{ rgba: Buffer; width: number; height: number }>;
  /** Loads the model now instead of on first use. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Resizes with pixel centres kept aligned. sharp's resize shifts content by up to half an output
 * pixel, depending on the ratio (measured: +0.5 px when reducing by under 2×, none from 2× up),
 * and the network's mask must land exactly on the photo, so both directions use an affine map
 * (libvips maps corners: out = s·in + offset; the offset 0.5·s − 0.5 aligns centres). Shrinking
 * is preceded by a blur matched to the ratio, which an affine map does not do by itself.
 */
async function resample(data: Buffer, width: number, height: number, channels: 1 | 3, toWidth: number, toHeight: number): Promise<Buffer> {
  const sx = toWidth / width;
  const sy = toHeight / height;
  let src = data;
  const shrink = Math.max(1 / sx, 1 / sy);
  if (shrink > 1.5) {
    // (sharp writes one-channel raw input back out as three channels unless told otherwise.)
    const blurred = sharp(data, { raw: { width, height, channels } }).blur(0.4 * shrink);
    src = await (channels === 1 ? blurred.extractChannel(0) : blurred).raw().toBuffer();
  }
  const out = await sharp(src, { raw: { width, height, channels } })
    .affine([sx, 0, 0, sy], { interpolator: 'bilinear', odx: 0.5 * sx - 0.5, ody: 0.5 * sy - 0.5 })
    .raw()
    .toBuffer({ resolveWithObject: true });
  // The affine output can be a pixel larger than asked (it rounds the box up); crop and keep the
  // channel count the caller gave.
  let img = sharp(out.data, { raw: { width: out.info.width, height: out.info.height, channels: out.info.channels as 1 | 3 | 4 } });
  if (out.info.width !== toWidth || out.info.height !== toHeight) {
    const w = Math.min(toWidth, out.info.width);
    const h = Math.min(toHeight, out.info.height);
    img = sharp(await img.extract({ left: 0, top: 0, width: w, height: h }).raw().toBuffer(), { raw: { width: w, height: h, channels: out.info.channels as 1 | 3 | 4 } }).extend({
      right: toWidth - w,
      bottom: toHeight - h,
      extendWith: 'copy',
    });
  }
  if (channels === 1) img = sharp(await img.raw().toBuffer(), { raw: { width: toWidth, height: toHeight, channels: out.info.channels as 1 | 3 | 4 } }).extractChannel(0);
  return img.raw().toBuffer();
}

/** The photo as RGB bytes (orientation applied, alpha dropped): the network's input and the cut-out's colours. */
async function decodeRgb(image: Buffer): Promise<{ rgb: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(image).rotate().toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { rgb: data, width: info.width, height: info.height };
}

export function createSegmenter(opts: SegmenterOptions = {}): Segmenter {
  const data: SegmenterWorkerData = {
    model: opts.model ?? 'medium',
    intraOpThreads: opts.intraOpThreads ?? Math.min(4, availableParallelism()),
  };
  const worker = createModelWorker<Uint8Array>({
    url: new URL('./segmenter.worker.ts', import.meta.url),
    workerData: data,
    errors: {
      load: (detail) => new Error(`background removal model failed to load: ${detail}`),
      run: (detail) => new Error(detail ?? 'segmentation failed'),
      exited: (code) => new Error(`segmentation worker exited (${code})`),
      closed: () => new Error('segmenter closed'),
    },
    resultOf: (reply) => (reply.mask instanceof ArrayBuffer ? new Uint8Array(reply.mask) : undefined),
  });

  const infer = (rgb: Buffer, signal?: AbortSignal): Promise<Uint8Array> => worker.run(rgb, {}, signal);

  async function maskOf({ rgb, width, height }: { rgb: Buffer; width: number; height: number }, signal?: AbortSignal): Promise<Mask> {
    const out = await infer(await resample(rgb, width, height, 3, SIDE, SIDE), signal);
    const small = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    const alpha = await resample(small, SIDE, SIDE, 1, width, height);
    return { alpha, width, height };
  }

  return {
    mask: async (image, signal) => maskOf(await decodeRgb(image), signal),
    async cutout(image, signal) {
      // Decoded once: the same pixels feed the network and get the mask as alpha.
      const photo = await decodeRgb(image);
      const m = await maskOf(photo, signal);
      signal?.throwIfAborted();
      const { data: rgba } = await joinAlpha(photo.rgb, m.alpha, m.width, m.height);
      return { rgba, width: m.width, height: m.height };
    },
    warm: () => worker.warm(),
    close: () => worker.close(),
  };
}
