/**
 * One worker thread that holds a model, for the local provider's heavy steps (face detection,
 * background segmentation, learned upscaling): onnxruntime's and tfjs's runs are synchronous native
 * work that would freeze the event loop for seconds on the main thread.
 *
 * - The worker is started on first use (or `warm()`), loads its model once and says
 *   `{ ready: true }` or `{ ready: false, error }`; it is kept for the life of the process.
 * - Requests carry an id and transfer their pixels (copied into a buffer of their own first); a
 *   reply carries the same id and either its result or `{ error }`.
 * - Runs are served one at a time, so the worker holds one image at a time; on a small machine two
 *   concurrent runs only slow both.
 * - An abort stops waiting at once; the worker finishes its current run (native code) and the
 *   result is dropped.
 * - A failed load, a worker error or exit fails what is waiting, with the caller's own errors; the
 *   next run starts a fresh worker. (onnxruntime-node's addon cannot be loaded again in a process
 *   once a worker that ran a session has ended, so such a fresh worker fails to load too: still an
 *   error, never a crash.)
 */
import { Worker } from 'node:worker_threads';
import { settleOrAbort } from './common.ts';

/** How a step's failures read: each model words them its own way. */
export interface ModelWorkerErrors {
  /** The worker's own words, when it gave any. */
  load(detail: string | undefined): Error;
  run(detail: string | undefined): Error;
  exited(code: number): Error;
  closed(): Error;
}

export interface ModelWorker<Out> {
  /**
   * Sends `fields` plus `{ id, rgb }` (the pixels, transferred) and answers what `resultOf` reads
   * from the reply; a reply without a result is `errors.run(reply.error)`.
   */
  run(rgb: Uint8Array, fields: Record<string, unknown>, signal?: AbortSignal): Promise<Out>;
  warm(): Promise<void>;
  close(): Promise<void>;
}

type Reply = { ready: boolean; error?: string } | ({ id: number; error?: string } & Record<string, unknown>);

export function createModelWorker<Out>(opts: { url: URL; workerData: unknown; errors: ModelWorkerErrors; resultOf: (reply: Record<string, unknown>) => Out | undefined }): ModelWorker<Out> {
  const { errors } = opts;
  let current: { worker: Worker; ready: Promise<void> } | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve(out: Out): void; reject(err: Error): void }>();
  let queue: Promise<unknown> = Promise.resolve();

  function failAll(err: Error): void {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  }

  function start(): { worker: Worker; ready: Promise<void> } {
    if (current) return current;
    const w = new Worker(opts.url, { workerData: opts.workerData });
    const ready = new Promise<void>((resolve, reject) => {
      w.on('message', (msg: Reply) => {
        if ('ready' in msg) {
          if (msg.ready) resolve();
          else reject(errors.load(msg.error));
          return;
        }
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        const out = opts.resultOf(msg);
        if (out !== undefined) p.resolve(out);
        else p.reject(errors.run(msg.error));
      });
      w.on('error', (err) => {
        reject(errors.load(err.message));
        failAll(errors.run(err.message));
      });
    });
    w.on('exit', (code) => {
      failAll(errors.exited(code));
      if (current?.worker === w) current = null;
    });
    // A failed load is reported to the callers; the next run starts a fresh worker.
    ready.catch(() => void w.terminate());
    current = { worker: w, ready };
    return current;
  }

  return {
    run(rgb, fields, signal) {
      const run = async (): Promise<Out> => {
        signal?.throwIfAborted();
        const w = start();
        await w.ready;
        signal?.throwIfAborted();
        const id = nextId++;
        return new Promise<Out>((resolve, reject) => {
          const onAbort = (): void => {
            pending.delete(id);
            reject(signal!.reason instanceof Error ? signal!.reason : new Error('aborted'));
          };
          pending.set(id, settleOrAbort(signal, onAbort, resolve, reject));
          // Copied into a buffer of its own so it can be transferred, not cloned.
          const copy = Uint8Array.from(rgb);
          w.worker.postMessage({ ...fields, id, rgb: copy.buffer }, [copy.buffer]);
        });
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
    async warm() {
      await start().ready;
    },
    async close() {
      failAll(errors.closed());
      const w = current;
      current = null;
      if (w) await w.worker.terminate();
    },
  };
}
