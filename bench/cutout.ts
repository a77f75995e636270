/**
 * Cut-out quality where it is hard (issue: offline image pipeline, item 3): the held-out product
 * photos of testing/product-scenes.ts — 20 scenes at 640×640 with cast shadows, plaid, knit, wood,
 * marble and busy backgrounds, thin parts and holes, seeds nothing was tuned on — cut out by the
 * local segmenter and by @imgly/background-removal-node's own removeBackground (medium model), one
 * after the other on each image, both warm. For each: the mask IoU against the drawn object (alpha
 * ≥ 128 counts as inside) and the time. Printed: every image's two IoUs, then mean and worst IoU of
 * each and our total time as a ratio to the library's (the baseline).
 *
 *   node bench/run.ts --cutout          (also part of npm run bench)
 */
import { performance } from 'node:perf_hooks';
import { createSegmenter } from '../src/modules/generation/providers/local/segmenter.ts';
import { heldOutScenes } from '../src/modules/generation/providers/local/testing/product-scenes.ts';
import { maskIoU } from '../src/modules/generation/providers/local/testing/synthetic.ts';
import { alphaOf, libraryCutout } from './library-cutout.ts';

interface Side {
  ious: number[];
  ms: number;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function cutoutBench(count = Number(process.env.BENCH_CUTOUT_SCENES ?? 20)): Promise<string[]> {
  const scenes = await heldOutScenes(count);
  const segmenter = createSegmenter();
  const ours = async (jpeg: Buffer): Promise<Buffer> => (await segmenter.mask(jpeg)).alpha;
  const theirs = async (jpeg: Buffer): Promise<Buffer> => alphaOf(await libraryCutout(jpeg));
  try {
    // Warm both (models loaded, sessions' first runs done) on a scene outside the set.
    for (let i = 0; i < 2; i++) {
      await ours(scenes[0]!.jpeg);
      await theirs(scenes[0]!.jpeg);
    }
    const a: Side = { ious: [], ms: 0 };
    const b: Side = { ious: [], ms: 0 };
    const lines: string[] = [];
    for (const scene of scenes) {
      for (const [side, run] of [[a, ours], [b, theirs]] as const) {
        const t = performance.now();
        const alpha = await run(scene.jpeg);
        side.ms += performance.now() - t;
        side.ious.push(maskIoU(alpha, scene.truth));
      }
      lines.push(`  ${scene.name.padEnd(26)} IoU local ${a.ious.at(-1)!.toFixed(3)}, library ${b.ious.at(-1)!.toFixed(3)}`);
    }
    const n = scenes.length;
    return [
      `cut-out of ${n} held-out product photos (640×640), @imgly removeBackground (medium) (baseline): mean IoU ${mean(b.ious).toFixed(4)}, worst ${Math.min(...b.ious).toFixed(3)}, ${(b.ms / n / 1000).toFixed(2)} s/image = 1.00`,
      `cut-out, same photos, local background removal: mean IoU ${mean(a.ious).toFixed(4)}, worst ${Math.min(...a.ious).toFixed(3)}, ${(a.ms / n / 1000).toFixed(2)} s/image = ${(a.ms / b.ms).toFixed(2)} × baseline time (targets: mean ≥ 0.92, worst ≥ 0.75, time ≤ 0.5 ×)`,
      ...lines,
    ];
  } finally {
    await segmenter.close();
  }
}
