// Real potrace in real worker threads (vectorize.worker.ts), against the same tracing run on the test's
// own thread. Images are drawn in the test; the only stand-in is testing/failing-trace.worker.ts, the
// real worker with a way to crash on request.
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../provider.ts';
import { noiseImage, productPhoto, shapesJpeg as shapes } from './testing/synthetic.ts';
import { inThread, vectorize } from './vectorize.ts';
import { createTracerPool } from './vectorize.pool.ts';
import { traceLayers, type TraceJob } from './vectorize.trace.ts';

const pool = createTracerPool();
const failing = createTracerPool({ workerUrl: new URL('./testing/failing-trace.worker.ts', import.meta.url) });
afterAll(() => Promise.all([pool.close(), failing.close()]));


/** A busy side×side job: blotchy noise gives potrace hundreds of shapes to trace. */
async function bigJob(mode: 'monochrome' | 'color', side = 1024): Promise<() => TraceJob> {
  const rgb = await noiseImage(side, side, 7, { blur: 3 });
  const pixels = mode === 'monochrome' ? await sharp(rgb, { raw: { width: side, height: side, channels: 3 } }).greyscale().raw().toBuffer() : rgb;
  // A fresh copy each time: the pool moves a job's pixels to its worker.
  return () => ({ mode, width: side, height: side, pixels: new Uint8Array(pixels), threshold: 128, colors: 6, despeckle: 2, smoothness: 1, scale: { x: 1, y: 1 } });
}

const tiny = (threshold = 128): TraceJob => ({
  mode: 'monochrome',
  width: 8,
  height: 8,
  pixels: new Uint8Array(64).map((_, i) => (i % 8 < 4 ? 0 : 255)),
  threshold,
  colors: 2,
  despeckle: 0,
  smoothness: 1,
  scale: { x: 1, y: 1 },
});

/** How many times a 10 ms interval timer fired while `work` was pending. */
async function ticksDuring(work: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  await work().finally(() => clearInterval(timer));
  return ticks;
}

describe('vectorize tracer pool', { timeout: 120_000 }, () => {
  it('gives byte-identical SVG to tracing on this thread, monochrome and posterised colour', async () => {
    const photo = (await productPhoto('textured', 1400, 1000, 3)).jpeg;
    for (const [image, params] of [
      [await shapes(), { mode: 'monochrome', threshold: 160 }],
      [await shapes(), { mode: 'color', colors: 3 }],
      [photo, { mode: 'monochrome', despeckle: 5, smoothness: 0.5 }],
      [photo, { mode: 'color', colors: 8, despeckle: 0, smoothness: 1.2 }],
    ] as const) {
      const here = await vectorize(image, params);
      const there = await vectorize(image, params, undefined, pool);
      expect(there.layers).toBe(here.layers);
      expect(there.svg.length).toBeGreaterThan(200);
      expect(Buffer.from(there.svg).equals(Buffer.from(here.svg))).toBe(true);
    }
  });

  it('keeps the event loop turning while it traces, where tracing on this thread stops it', async () => {
    // One 2048 px layer: over a second of tracing here, and well over 100 ms on any machine.
    const job = await bigJob('monochrome', 2048);
    await pool.trace(tiny()); // the worker is up, so only tracing is measured
    const inWorker = await ticksDuring(() => pool.trace(job()));
    const onThisThread = await ticksDuring(() => traceLayers(job()));
    // Counts, not durations. In the worker the timer keeps firing all through the trace (a loaded
    // machine only slows the trace, which adds ticks). On this thread it can fire only in the
    // trace's one short pause (jimp's 1 ms constructor timer), once or twice.
    expect(inWorker).toBeGreaterThanOrEqual(10);
    expect(onThisThread).toBeLessThan(5);
  });

  it('moves the pixels to the worker instead of copying them', async () => {
    const job = tiny();
    const done = pool.trace(job);
    expect(job.pixels.byteLength).toBe(0); // detached: transferred
    expect((await done).paths).toHaveLength(1);
    // sharp's buffers cannot be moved: they are copied and left intact.
    const buffer = Buffer.from(tiny().pixels);
    await pool.trace({ ...tiny(), pixels: buffer });
    expect(buffer.byteLength).toBe(64);
  });

  it('fails a job with a clear error when its worker dies, and the next job gets a fresh worker', async () => {
    for (const [threshold, message] of [
      [-1, /tracing worker stopped unexpectedly \(exit code 3\)/],
      [-2, /tracing worker crashed: the tracer fell over/],
    ] as const) {
      const err = await failing.trace(tiny(threshold)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ code: 'provider_error', message: expect.stringMatching(message) });
      expect((await failing.trace(tiny())).paths).toHaveLength(1);
    }
  });

  it('fails a job the tracing throws on with provider_error and goes on', async () => {
    const bad = { ...tiny(), mode: 'sepia' } as unknown as TraceJob;
    await expect(pool.trace(bad)).rejects.toMatchObject({ code: 'provider_error', message: expect.stringMatching(/unknown vectorize mode "sepia"/) });
    expect((await pool.trace(tiny())).paths).toHaveLength(1);
  });

  it('answers an aborted job at once, running or waiting, and the worker goes on to the next', async () => {
    const job = await bigJob('color');
    const running = new AbortController();
    const waiting = new AbortController();
    const first = pool.trace(job(), running.signal);
    const second = pool.trace(job(), waiting.signal);
    const third = pool.trace(tiny());
    waiting.abort();
    await expect(second).rejects.toMatchObject({ code: 'cancelled' });
    running.abort(new DOMException('deadline', 'TimeoutError'));
    await expect(first).rejects.toMatchObject({ code: 'timeout' });
    expect((await third).paths).toHaveLength(1);
    expect(await pool.trace(tiny())).toEqual(await inThread(tiny()));
  });

  it('fails running and waiting jobs when closed, and starts afresh after', async () => {
    const own = createTracerPool();
    const job = await bigJob('color');
    const outcome = (p: Promise<unknown>): Promise<unknown> => p.then(
      () => 'traced',
      (e: unknown) => e,
    );
    const running = outcome(own.trace(job()));
    const waiting = outcome(own.trace(job()));
    await own.close();
    for (const err of await Promise.all([running, waiting])) {
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ code: 'provider_error', message: expect.stringMatching(/tracing workers were closed/) });
    }
    expect((await own.trace(tiny())).paths).toHaveLength(1);
    await own.close();
  });
});
