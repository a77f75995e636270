/**
 * Generations run end to end by the `local` provider: the engine as deployed (providers from
 * configuration, no stand-in), real image work, outputs stored as result assets, credits captured.
 * Real: app, database, queue and workers in this process, sharp, potrace, the upscaling model, the
 * plan's watermark rule.
 * Stand-ins: none; the source images are made here with sharp.
 */
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/app.ts';
import { createGenerationTestApp, type GenerationTestApp } from '../helpers/generation.ts';
import { upload } from '../helpers/media.ts';

let g: GenerationTestApp;
beforeAll(async () => {
  g = await createGenerationTestApp({ generation: {} });
  await g.startWorkers();
});
afterEach(async () => g.invariants());
afterAll(async () => g?.close());

/** A two-colour picture with a clear shape, so tracing and scaling have something to work on. */
async function picture(token: string): Promise<string> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="120"><rect width="160" height="120" fill="#ffffff"/><circle cx="80" cy="60" r="40" fill="#1a1a1a"/></svg>`;
  const res = await upload(g.app, token, { filename: 'shape.png', contentType: 'image/png', data: await sharp(Buffer.from(svg)).png().toBuffer() });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id;
}

const submit = (token: string, body: Record<string, unknown>) => call(g.app, 'POST', '/api/v1/generations', { token, body });

describe('the local provider through the engine', () => {
  it('lists itself for the types it does, and not for text-to-image', async () => {
    const types = (await call(g.app, 'GET', '/api/v1/generation-types')).data as Array<{ type: string; providers: string[] }>;
    const of = (t: string) => types.find((x) => x.type === t)!.providers;
    expect(of('upscale')).toContain('local');
    expect(of('vectorize')).toContain('local');
    expect(of('generate')).not.toContain('local');
  });

  it('upscales 2× and charges the one output delivered', async () => {
    const u = await g.user(3);
    const source = await picture(u.token);
    const res = await submit(u.token, { type: 'upscale', source_asset_ids: [source], params: { factor: 2 } });
    expect(res.statusCode, res.body).toBe(202);
    const done = await g.until(u.token, res.data.id, (x) => x.status !== 'pending' && x.status !== 'processing', 60_000);
    expect(done.status, JSON.stringify(done.error)).toBe('completed');
    expect(done.provider).toBe('local');
    // A small source goes through the learned model (decision 111).
    expect(done.model).toBe('local/esrgan-slim');
    expect(done.outputs).toHaveLength(1);
    expect(done.outputs[0]).toMatchObject({ kind: 'result', width: 320, height: 240 });
    expect(done.credits_used).toBe(1);
    expect(await g.balance(u.id)).toEqual({ available: 2, held: 0 });
  });

  it('traces an image into a safe SVG', async () => {
    const u = await g.user(1);
    const source = await picture(u.token);
    const res = await submit(u.token, { type: 'vectorize', source_asset_ids: [source], params: { mode: 'mono' } });
    expect(res.statusCode, res.body).toBe(202);
    const done = await g.until(u.token, res.data.id, (x) => x.status !== 'pending' && x.status !== 'processing', 60_000);
    expect(done.status, JSON.stringify(done.error)).toBe('completed');
    expect(done.outputs[0].mime_type).toBe('image/svg+xml');
    const file = await g.app.inject({ method: 'GET', url: done.outputs[0].url.replace(/^https?:\/\/[^/]+/, '') });
    expect(file.statusCode).toBe(200);
    expect(file.body).toMatch(/<svg[\s>]/);
    expect(file.body).toMatch(/<path/);
    expect(file.body).not.toMatch(/<script|onload=|href="http/i);
  });

  it('text-to-image has no local provider: it is refused before anything is held', async () => {
    const u = await g.user(2);
    const res = await submit(u.token, { type: 'generate', prompt: 'a red bicycle' });
    expect(res.statusCode).toBe(400);
    expect(res.data.code).toBe('provider_unavailable');
    expect(res.data.detail).toMatch(/external image provider/);
    expect(await g.balance(u.id)).toEqual({ available: 2, held: 0 });
  });
});
