import { performance } from 'node:perf_hooks';

/** Operations per second of `fn` run back to back for `seconds`, after a warm-up. */
export async function opsPerSec(name: string, fn: () => Promise<unknown>, seconds = 2): Promise<{ name: string; ops: number }> {
  for (let i = 0; i < 50; i++) await fn(); // warm-up
  let n = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    await fn();
    n++;
  }
  return { name, ops: n / seconds };
}

/** How many times `callers` loops running `fn` at once complete it within `seconds`. */
export async function concurrentRuns(callers: number, fn: () => Promise<unknown>, seconds: number): Promise<number> {
  let n = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < end) {
        await fn();
        n++;
      }
    }),
  );
  return n;
}

/**
 * Operations per second of `fn` and of `baseline` at `callers` concurrent callers, measured in
 * alternating slices: on a shared machine, load that comes and goes then weighs on both alike.
 */
export async function pairedOpsPerSec(
  callers: number,
  fn: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
  opts: { slices?: number; sliceSeconds?: number } = {},
): Promise<{ ops: number; baselineOps: number }> {
  const slices = opts.slices ?? 12;
  const seconds = opts.sliceSeconds ?? 0.15;
  await concurrentRuns(callers, baseline, 0.1); // warm-up
  await concurrentRuns(callers, fn, 0.1);
  let ops = 0;
  let baselineOps = 0;
  for (let i = 0; i < slices; i++) {
    baselineOps += await concurrentRuns(callers, baseline, seconds);
    ops += await concurrentRuns(callers, fn, seconds);
  }
  return { ops: ops / (slices * seconds), baselineOps: baselineOps / (slices * seconds) };
}
