/**
 * The learned upscaler (decision 111): RGB pixels in, RGB pixels 2× or 4× larger out, computed by
 * the RDN networks of `@upscalerjs/esrgan-slim` in one worker thread per process
 * (super-resolution.worker.ts), started on first use and kept. Runs are served one at a time: on a
 * small machine two concurrent runs only slow both. A model that cannot load, or a worker that
 * dies, is a `provider_error` for the runs it concerns; the next run starts a fresh worker. As for
 * the segmenter, onnxruntime-node's addon cannot be loaded again in a process once a worker that
 * ran a session has ended, so a fresh worker after such a one fails too (still a `provider_error`),
 * and `close()` is for shutdown. The worker's life is model-worker.ts's, shared with the others.
 */
import { availableParallelism } from 'node:os';
import { ProviderError } from '../provider.ts';
import { createModelWorker } from './model-worker.ts';
import type { SrScale } from './super-resolution.model.ts';
import type { SrRequest, SrWorkerData } from './super-resolution.worker.ts';

export type SuperResolutionOptions = Partial<SrWorkerData>;

export interface SuperResolution {
  /** `rgb` is width×height×3 bytes; the result is (width·scale)×(height·scale)×3 bytes. */
  enlarge(rgb: Uint8Array, width: number, height: number, scale: SrScale, signal?: AbortSignal): Promise<Buffer>;
  /** Loads the models now instead of on first use. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

export function createSuperResolution(opts: SuperResolutionOptions = {}): SuperResolution {
  const data: SrWorkerData = { ...opts, intraOpThreads: opts.intraOpThreads ?? Math.min(4, availableParallelism()) };
  const failed = (what: string, detail: string): ProviderError => new ProviderError('provider_error', `${what}: ${detail}`);
  const worker = createModelWorker<ArrayBuffer>({
    url: new URL('./super-resolution.worker.ts', import.meta.url),
    workerData: data,
    errors: {
      load: (detail) => failed('the upscaling model failed to load', detail ?? 'unknown error'),
      run: (detail) => failed('upscaling with the model failed', detail ?? 'unknown error'),
      exited: (code) => failed('upscaling with the model failed', `the worker exited (${code})`),
      closed: () => failed('upscaling with the model failed', 'the upscaler was closed'),
    },
    resultOf: (reply) => (reply.rgb instanceof ArrayBuffer ? reply.rgb : undefined),
  });

  return {
    async enlarge(rgb, width, height, scale, signal) {
      if (rgb.length !== width * height * 3) throw new Error(`expected ${width}×${height}×3 bytes, got ${rgb.length}`);
      const fields: Omit<SrRequest, 'id' | 'rgb'> = { width, height, scale };
      return Buffer.from(await worker.run(rgb, fields, signal));
    },
    warm: () => worker.warm(),
    close: () => worker.close(),
  };
}
