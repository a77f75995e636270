/**
 * Background removal: sharp resizes the image for the network and applies the mask as alpha; the
 * network runs in one worker thread per process (segmenter.worker.ts), loaded on first use and
 * kept. Requests are served one at a time: on a small machine two concurrent runs only slow both.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
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

interface Pending {
  resolve(mask: Uint8Array): void;
  reject(err: Error): void;
}

export function createSegmenter(opts: SegmenterOptions = {}): Segmenter {
  let worker: Worker | null = null;
  let ready: Promise<void> | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  // Runs are chained so the worker holds one image at a time.
  let queue: Promise<unknown> = Promise.resolve();

  function start(): Promise<void> {
    if (ready) return ready;
    const data: SegmenterWorkerData = {
      model: opts.model ?? 'medium',
      intraOpThreads: opts.intraOpThreads ?? Math.min(4, availableParallelism()),
    };
    const w = new Worker(new URL('./segmenter.worker.ts', import.meta.url), { workerData: data });
    worker = w;
    ready = new Promise<void>((resolve, reject) => {
      w.once('message', (msg: { ready: boolean; error?: string }) => {
        if (msg.ready) resolve();
        else reject(new Error(`background removal model failed to load: ${msg.error}`));
      });
      w.once('error', reject);
    });
    w.on('message', (msg: { id?: number; mask?: ArrayBuffer; error?: string }) => {
      if (msg.id === undefined) return;
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.mask) p.resolve(new Uint8Array(msg.mask));
      else p.reject(new Error(msg.error ?? 'segmentation failed'));
    });
    w.on('error', (err) => failAll(err));
    w.on('exit', (code) => {
      failAll(new Error(`segmentation worker exited (${code})`));
      worker = null;
      ready = null;
    });
    // A failed load is reported to the caller; the next call starts a fresh worker.
    ready.catch(() => void w.terminate());
    return ready;
  }

  function failAll(err: Error): void {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  }

  function infer(rgb: Buffer, signal?: AbortSignal): Promise<Uint8Array> {
    const run = async (): Promise<Uint8Array> => {
      signal?.throwIfAborted();
      await start();
      signal?.throwIfAborted();
      const id = nextId++;
      return new Promise<Uint8Array>((resolve, reject) => {
        // An abort stops waiting at once; the worker's current run (native code) finishes on its
        // own and its result is dropped.
        const onAbort = (): void => {
          pending.delete(id);
          reject(signal!.reason instanceof Error ? signal!.reason : new Error('aborted'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.set(id, {
          resolve: (m) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(m);
          },
          reject: (e) => {
            signal?.removeEventListener('abort', onAbort);
            reject(e);
          },
        });
        // Copy into a buffer of its own so it can be transferred, not cloned.
        const copy = new Uint8Array(rgb.length);
        copy.set(rgb);
        worker!.postMessage({ id, rgb: copy.buffer }, [copy.buffer]);
      });
    };
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  }

  async function mask(image: Buffer, signal?: AbortSignal): Promise<Mask> {
    const { width, height } = (await sharp(image).metadata()).autoOrient;
    const rgb = await sharp(image).rotate().toColourspace('srgb').removeAlpha().resize(SIDE, SIDE, { fit: 'fill' }).raw().toBuffer();
    const small = await infer(rgb, signal);
    const alpha = await sharp(small, { raw: { width: SIDE, height: SIDE, channels: 1 } })
      .resize(width, height, { fit: 'fill', kernel: 'linear' })
      .extractChannel(0)
      .raw()
      .toBuffer();
    return { alpha, width, height };
  }

  return {
    mask,
    async cutout(image, signal) {
      const m = await mask(image, signal);
      signal?.throwIfAborted();
      // Two pipelines: within one, sharp drops alpha after joining channels, whatever the call order.
      const rgb = await sharp(image).rotate().toColourspace('srgb').removeAlpha().raw().toBuffer();
      const rgba = await sharp(rgb, { raw: { width: m.width, height: m.height, channels: 3 } })
        .joinChannel(m.alpha, { raw: { width: m.width, height: m.height, channels: 1 } })
        .raw()
        .toBuffer();
      return { rgba, width: m.width, height: m.height };
    },
    warm: () => start(),
    async close() {
      failAll(new Error('segmenter closed'));
      const w = worker;
      worker = null;
      ready = null;
      if (w) await w.terminate();
    },
  };
}
