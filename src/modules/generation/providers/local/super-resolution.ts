/**
 * The learned upscaler (decision 111): RGB pixels in, RGB pixels 2× or 4× larger out, computed by
 * the RDN networks of `@upscalerjs/esrgan-slim` in one worker thread per process
 * (super-resolution.worker.ts), started on first use and kept. Runs are served one at a time: on a
 * small machine two concurrent runs only slow both. A model that cannot load, or a worker that
 * dies, is a `provider_error` for the runs it concerns; the next run starts a fresh worker. As for
 * the segmenter, onnxruntime-node's addon cannot be loaded again in a process once a worker that
 * ran a session has ended, so a fresh worker after such a one fails too (still a `provider_error`),
 * and `close()` is for shutdown.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ProviderError } from '../provider.ts';
import { settleOrAbort } from './common.ts';
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

type Reply = { ready: boolean; error?: string } | { id: number; rgb?: ArrayBuffer; error?: string };

export function createSuperResolution(opts: SuperResolutionOptions = {}): SuperResolution {
  const data: SrWorkerData = { ...opts, intraOpThreads: opts.intraOpThreads ?? Math.min(4, availableParallelism()) };
  let current: { worker: Worker; ready: Promise<void> } | null = null;
  let nextId = 1;
  const waiting = new Map<number, { resolve(rgb: ArrayBuffer): void; reject(err: Error): void }>();
  let queue: Promise<unknown> = Promise.resolve();

  const failed = (what: string, detail: string): ProviderError => new ProviderError('provider_error', `${what}: ${detail}`);
  const rejectWaiting = (err: Error): void => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };

  function worker(): { worker: Worker; ready: Promise<void> } {
    if (current) return current;
    const w = new Worker(new URL('./super-resolution.worker.ts', import.meta.url), { workerData: data });
    const ready = new Promise<void>((resolve, reject) => {
      w.on('message', (msg: Reply) => {
        if ('ready' in msg) {
          if (msg.ready) resolve();
          else reject(failed('the upscaling model failed to load', msg.error ?? 'unknown error'));
          return;
        }
        const entry = waiting.get(msg.id);
        if (!entry) return;
        waiting.delete(msg.id);
        if (msg.rgb) entry.resolve(msg.rgb);
        else entry.reject(failed('upscaling with the model failed', msg.error ?? 'unknown error'));
      });
      w.on('error', (err) => {
        reject(failed('the upscaling model failed to load', err.message));
        rejectWaiting(failed('upscaling with the model failed', err.message));
      });
    });
    w.on('exit', (code) => {
      rejectWaiting(failed('upscaling with the model failed', `the worker exited (${code})`));
      if (current?.worker === w) current = null;
    });
    // A failed load is reported to the callers; the next call starts a fresh worker.
    ready.catch(() => void w.terminate());
    current = { worker: w, ready };
    return current;
  }

  return {
    enlarge(rgb, width, height, scale, signal) {
      if (rgb.length !== width * height * 3) return Promise.reject(new Error(`expected ${width}×${height}×3 bytes, got ${rgb.length}`));
      const run = async (): Promise<Buffer> => {
        signal?.throwIfAborted();
        const w = worker();
        await w.ready;
        signal?.throwIfAborted();
        const id = nextId++;
        const out = await new Promise<ArrayBuffer>((resolve, reject) => {
          // An abort stops waiting at once; the worker finishes its run and the result is dropped.
          waiting.set(
            id,
            settleOrAbort(signal, () => {
              waiting.delete(id);
              reject(signal!.reason instanceof Error ? signal!.reason : new Error('aborted'));
            }, resolve, reject),
          );
          const copy = Uint8Array.from(rgb);
          const request: SrRequest = { id, rgb: copy.buffer, width, height, scale };
          w.worker.postMessage(request, [copy.buffer]);
        });
        return Buffer.from(out);
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
    async warm() {
      await worker().ready;
    },
    async close() {
      rejectWaiting(failed('upscaling with the model failed', 'the upscaler was closed'));
      const w = current;
      current = null;
      if (w) await w.worker.terminate();
    },
  };
}
