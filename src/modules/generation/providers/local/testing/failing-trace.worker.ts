/**
 * The real tracing worker (vectorize.worker.ts) with two ways to die, for the pool's tests: a job
 * with `threshold` -1 ends the thread (`process.exit` in a worker stops only that thread), -2 throws
 * an uncaught error. Every other job is traced as usual.
 */
import { parentPort } from 'node:worker_threads';
import type { TraceRequest } from '../vectorize.worker.ts';

parentPort!.on('message', (msg: TraceRequest) => {
  if (msg.job.threshold === -1) process.exit(3);
  if (msg.job.threshold === -2) throw new Error('the tracer fell over');
});
await import('../vectorize.worker.ts');
