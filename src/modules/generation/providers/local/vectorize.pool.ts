/**
 * A small pool of potrace worker threads (vectorize.worker.ts). Workers start on first use, each
 * runs one job at a time and further jobs wait in order. A worker that fails a job or dies is
 * discarded: that job fails with `provider_error` and the next one gets a fresh worker. An aborted
 * job is answered at once and stops before its next layer. Idle workers are unref'd, so a pool
 * nobody closed does not keep the process alive.
 */
import { Worker } from 'node:worker_threads';
import { ProviderError } from '../provider.ts';
import { checkAbort, settleOrAbort } from './common.ts';
import type { TraceJob, TraceResult } from './vectorize.trace.ts';
import type { TraceRequest } from './vectorize.worker.ts';

export interface Tracer {
  /**
   * Traces a job. Its `pixels` are transferred to the worker when they own their whole buffer (the
   * caller must not use them afterwards) and copied otherwise.
   */
  trace(job: TraceJob, signal?: AbortSignal): Promise<TraceResult>;
  /** Fails waiting and running jobs and stops the workers; a later `trace` starts afresh. */
  close(): Promise<void>;
}

export interface TracerPoolOptions {
  /** Worker threads, default 1: each one traces on a core of its own. */
  size?: number;
  /** The worker's module (tests substitute one that crashes). */
  workerUrl?: URL;
}

interface Job {
  job: TraceJob;
  signal: AbortSignal | undefined;
  resolve(result: TraceResult): void;
  reject(err: Error): void;
  /** Set once the job is on a worker. */
  id?: number;
  cancel?: Int32Array;
}

interface Slot {
  worker: Worker | null;
  running: Job | null;
}

type TraceReply = { id: number; result?: TraceResult; cancelled?: boolean; error?: string };

function abortError(signal: AbortSignal): Error {
  try {
    checkAbort(signal);
  } catch (err) {
    return err as Error;
  }
  return new ProviderError('cancelled', 'the run was stopped');
}

export function createTracerPool(opts: TracerPoolOptions = {}): Tracer {
  const size = Math.max(1, Math.floor(opts.size ?? 1));
  const workerUrl = opts.workerUrl ?? new URL('./vectorize.worker.ts', import.meta.url);
  const slots: Slot[] = Array.from({ length: size }, () => ({ worker: null, running: null }));
  const waiting: Job[] = [];
  let nextId = 1;

  /** Frees the slot and settles its job (a no-op for a job its caller has already been answered on). */
  function finish(slot: Slot, settle: (job: Job) => void): void {
    const job = slot.running;
    if (!job) return;
    slot.running = null;
    slot.worker?.unref();
    settle(job);
  }

  function spawn(slot: Slot): Worker {
    const w = new Worker(workerUrl);
    // A worker that failed a job or died is not reused: the next job on this slot starts a new one.
    const fail = (err: ProviderError): void => {
      if (slot.worker !== w) return;
      slot.worker = null;
      void w.terminate();
      finish(slot, (job) => job.reject(err));
      dispatch();
    };
    w.on('message', (msg: TraceReply) => {
      if (slot.worker !== w || slot.running?.id !== msg.id) return;
      if (msg.result) finish(slot, (job) => job.resolve(msg.result!));
      // A cancelled job's caller was answered when it aborted; the worker is free again.
      else if (msg.cancelled) finish(slot, (job) => job.reject(abortError(job.signal!)));
      else return fail(new ProviderError('provider_error', `vectorizing failed: ${msg.error ?? 'unknown error'}`));
      dispatch();
    });
    w.on('error', (err) => fail(new ProviderError('provider_error', `vectorizing failed: the tracing worker crashed: ${err.message}`, { cause: err })));
    w.on('exit', (code) => fail(new ProviderError('provider_error', `vectorizing failed: the tracing worker stopped unexpectedly (exit code ${code})`)));
    return w;
  }

  function start(slot: Slot, job: Job): void {
    const worker = (slot.worker ??= spawn(slot));
    job.id = nextId++;
    const cancel = new SharedArrayBuffer(4);
    job.cancel = new Int32Array(cancel);
    slot.running = job;
    worker.ref();
    // A Uint8Array that owns its whole buffer is moved, not copied; a view on part of a buffer is
    // copied so the rest is not given away, and so is a buffer that refuses to move (sharp's output
    // lives outside the JavaScript heap and cannot be detached).
    const { pixels, ...rest } = job.job;
    const send = (bytes: Uint8Array): void => {
      const buffer = bytes.buffer as ArrayBuffer;
      const request: TraceRequest = { id: job.id!, job: { ...rest, pixels: buffer }, cancel };
      worker.postMessage(request, [buffer]);
    };
    const owned = pixels.byteOffset === 0 && pixels.byteLength === pixels.buffer.byteLength && pixels.buffer instanceof ArrayBuffer;
    try {
      send(owned ? pixels : new Uint8Array(pixels));
    } catch {
      try {
        send(new Uint8Array(pixels));
      } catch (err) {
        finish(slot, (j) => j.reject(new ProviderError('provider_error', `vectorizing failed: ${(err as Error).message}`, { cause: err })));
      }
    }
  }

  function dispatch(): void {
    for (const slot of slots) {
      if (slot.running) continue;
      const job = waiting.shift();
      if (!job) return;
      start(slot, job);
    }
  }

  return {
    trace(work, signal) {
      return new Promise<TraceResult>((resolve, reject) => {
        if (signal?.aborted) return reject(abortError(signal));
        // An abort answers the caller at once: a waiting job leaves the queue, a running one stops
        // before its next layer and its worker takes the next job when it has.
        const onAbort = (): void => {
          const at = waiting.indexOf(job);
          if (at >= 0) waiting.splice(at, 1);
          if (job.cancel) Atomics.store(job.cancel, 0, 1);
          reject(abortError(signal!));
        };
        const job: Job = { job: work, signal, ...settleOrAbort(signal, onAbort, resolve, reject) };
        waiting.push(job);
        dispatch();
      });
    },
    async close() {
      const closed = (): ProviderError => new ProviderError('provider_error', 'vectorizing stopped: the tracing workers were closed');
      for (const job of waiting.splice(0)) job.reject(closed());
      const stopping: Promise<number>[] = [];
      for (const slot of slots) {
        finish(slot, (job) => job.reject(closed()));
        const w = slot.worker;
        slot.worker = null;
        if (w) stopping.push(w.terminate());
      }
      await Promise.all(stopping);
    },
  };
}
