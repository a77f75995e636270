/**
 * potrace in a worker thread: tracing is synchronous JavaScript (about 200 ms a colour layer at
 * 1024 px), which on the main thread would stall HTTP, SSE and the queue while a vectorize job runs.
 * The pool (vectorize.pool.ts) gives each worker one job at a time.
 *
 * In: `{ id, job, cancel }` — a TraceJob whose `pixels` is a transferred ArrayBuffer, and a shared
 * Int32 the pool sets to 1 to stop the job before its next layer. Out: `{ id, result }`,
 * `{ id, cancelled: true }` or `{ id, error }`.
 */
import { parentPort } from 'node:worker_threads';
import { traceLayers, type TraceJob } from './vectorize.trace.ts';

export type TraceRequest = { id: number; job: Omit<TraceJob, 'pixels'> & { pixels: ArrayBuffer }; cancel: SharedArrayBuffer };

const port = parentPort;
if (!port) throw new Error('vectorize.worker.ts must run in a worker thread');

class Cancelled extends Error {}

port.on('message', async (msg: TraceRequest) => {
  const cancel = new Int32Array(msg.cancel);
  try {
    const result = await traceLayers({ ...msg.job, pixels: new Uint8Array(msg.job.pixels) }, () => {
      if (Atomics.load(cancel, 0) === 1) throw new Cancelled();
    });
    port.postMessage({ id: msg.id, result });
  } catch (err) {
    if (err instanceof Cancelled) port.postMessage({ id: msg.id, cancelled: true });
    else port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
