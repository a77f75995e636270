/**
 * The local face step (decision 030): finding, measuring and describing the face of one portrait,
 * warm, as a ratio to the ISNet cut-out of the same portrait measured alongside (the other model
 * a headshot runs), plus the face model's cold load. The portrait is cut from a sample photo the
 * face-api package ships (testing/portraits.ts), 531×664.
 */
import { performance } from 'node:perf_hooks';
import { createFaceFinder } from '../src/modules/generation/providers/local/faces.ts';
import { createSegmenter } from '../src/modules/generation/providers/local/segmenter.ts';
import { portrait } from '../src/modules/generation/providers/local/testing/portraits.ts';

async function ms(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export async function facesBench(rounds = Number(process.env.BENCH_ROUNDS ?? 5)): Promise<string[]> {
  const photo = await portrait('ava');
  const faces = createFaceFinder();
  const segmenter = createSegmenter();
  try {
    const load = await ms(() => faces.warm());
    await segmenter.warm();
    await faces.find(photo);
    await segmenter.mask(photo);
    let tFaces = 0;
    let tCut = 0;
    for (let r = 0; r < rounds; r++) {
      tCut += await ms(() => segmenter.mask(photo));
      tFaces += await ms(() => faces.find(photo));
    }
    return [
      `ISNet cut-out of a 531×664 portrait (baseline): ${(tCut / rounds).toFixed(0)} ms = 1.00`,
      `face step (detect + 68 landmarks + descriptor + measures), same portrait: ${(tFaces / rounds).toFixed(0)} ms = ${(tFaces / tCut).toFixed(2)} × baseline over ${rounds} rounds; face model load ${load.toFixed(0)} ms`,
    ];
  } finally {
    await faces.close();
    await segmenter.close();
  }
}
