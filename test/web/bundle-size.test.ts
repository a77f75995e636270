/**
 * The JavaScript a first visit must download before anything shows: the entry chunk of the built
 * app and every chunk it imports statically, gzipped, stays at or under 200 kB (issue 13). Screens
 * are split into their own chunks (React Router's `lazy` routes), so they are not counted; a
 * screen imported statically by mistake would be, and would push the sum up.
 * Real: the app as `npm run build:web` built it in web/dist (`npm test` builds it first), zlib's
 * gzip at its default level. Stand-ins: none.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const DIST = path.resolve(import.meta.dirname, '../../web/dist');
const LIMIT = 200 * 1024;

/** The relative modules a chunk imports statically (`import{a}from"./x.js"`, `import"./y.js"`), not `import("./z.js")`. */
function staticImports(code: string): string[] {
  return [...code.matchAll(/\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g)].map((m) => m[1]!);
}

/** The entry chunk and everything it reaches through static imports, each once. */
async function initialChunks(): Promise<string[]> {
  const html = await fs.readFile(path.join(DIST, 'index.html'), 'utf8');
  const entry = /<script type="module"[^>]*\bsrc="\/([^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error('web/dist/index.html has no module script');
  const seen = new Set<string>();
  const visit = async (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = await fs.readFile(path.join(DIST, file), 'utf8');
    for (const spec of staticImports(code)) await visit(path.posix.join(path.posix.dirname(file), spec));
  };
  await visit(entry);
  return [...seen];
}

describe('the initial JavaScript of the built web app', () => {
  it('is at most 200 kB gzipped (entry chunk plus its static imports)', async () => {
    await fs.access(path.join(DIST, 'index.html')).catch(() => {
      throw new Error('web/dist is not built: run `npm run build:web` first (`npm test` does this)');
    });
    const chunks = await initialChunks();
    const sizes = await Promise.all(chunks.map(async (f) => ({ f, gz: gzipSync(await fs.readFile(path.join(DIST, f))).length })));
    const total = sizes.reduce((sum, s) => sum + s.gz, 0);
    process.stdout.write(`initial JS: ${(total / 1024).toFixed(1)} kB gzipped in ${chunks.length} chunk(s): ${sizes.map((s) => `${s.f} ${(s.gz / 1024).toFixed(1)} kB`).join(', ')}\n`);
    // The sum is real: React alone is tens of kB, so a near-empty count means the chunks were missed.
    expect(total).toBeGreaterThan(30 * 1024);
    expect(total).toBeLessThanOrEqual(LIMIT);
    // Each screen is its own chunk, outside the initial set.
    const lazy = (await fs.readdir(path.join(DIST, 'assets'))).filter((f) => /^(Studio|Billing|Library|Account|Dashboard|SignIn|SignUp)-.*\.js$/.test(f));
    expect(lazy.length).toBe(7);
    expect(chunks.filter((c) => lazy.includes(path.basename(c)))).toEqual([]);
  });

  it('follows static imports and leaves dynamic ones out', () => {
    const code = 'import{a as b,c}from"./shared-1.js";import"./side.js";const s=()=>import("./Studio-2.js");';
    expect(staticImports(code)).toEqual(['./shared-1.js', './side.js']);
  });
});
