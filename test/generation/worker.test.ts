/**
 * The worker: runs, partial results, retries, failures, cancel while running, deadlines,
 * watermarks and the per-user concurrency limit.
 * Real: app, database (PGlite or PostgreSQL), pg-boss queue and the engine's workers in this
 * process, the credit ledger, media storage of outputs (local disk) with thumbnails, sharp.
 * Stand-ins: the image provider (test/helpers/stand-in-provider.ts: real PNGs, scripted delays and
 * failures), a manual clock (deadlines are still enforced in real time).
 */
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, sqlRows } from '../helpers/app.ts';
import { createGenerationTestApp, final, usageRows, type GenerationTestApp } from '../helpers/generation.ts';
import { createStandInProvider } from '../helpers/stand-in-provider.ts';

let t: GenerationTestApp;
const standIn = createStandInProvider();
const watermarked = new Set<string>();
let active = 0;
let maxActive = 0;
const tracked = {
  ...standIn.provider,
  async run(...args: Parameters<typeof standIn.provider.run>) {
    active++;
    maxActive = Math.max(maxActive, active);
    try {
      return await standIn.provider.run(...args);
    } finally {
      active--;
    }
  },
};

beforeAll(async () => {
  t = await createGenerationTestApp({
    env: { ATELIER_GENERATION_RETRIES: '1', ATELIER_GENERATION_CONCURRENCY_PER_USER: '2', ATELIER_GENERATION_WORKERS: '4' },
    generation: { providers: [tracked], watermarkFor: async (userId) => watermarked.has(userId) },
  });
  await t.startWorkers();
});
afterEach(async () => {
  standIn.reset();
  await t.invariants();
});
afterAll(async () => t?.close());

async function start(u: { token: string }, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const src = await t.sourceAsset(u.token);
  const res = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'upscale', source_asset_ids: [src], ...body }, headers });
  expect(res.statusCode, res.body).toBe(202);
  return res.data.id as string;
}

describe('a run', () => {
  it('completes: outputs stored as result assets with thumbnails, all credits captured, usage and provider calls recorded', async () => {
    const u = await t.user(5);
    standIn.script({ kind: 'ok', costMicros: 1234 });
    const id = await start(u, { num_outputs: 2 });
    const g = await t.until(u.token, id, final);
    expect(g).toMatchObject({ status: 'completed', credits_reserved: 2, credits_used: 2, model: 'stand-in-1', error: null, queue_position: null, attempts: 1 });
    expect(g.outputs).toHaveLength(2);
    expect(g.outputs[0]).toMatchObject({ kind: 'result', generation_id: id, mime_type: 'image/png', width: 64, height: 48 });
    expect(g.outputs[0].thumbnail_url).toBeTruthy();
    expect(g.outputs[0].expires_at).toBeTruthy();
    const content = await t.app.inject({ method: 'GET', url: g.outputs[0].url.replace(/^https?:\/\/[^/]+/, '') });
    expect(content.statusCode).toBe(200);
    expect((await sharp(content.rawPayload).metadata()).width).toBe(64);
    expect(await t.balance(u.id)).toEqual({ available: 3, held: 0 });
    expect(await usageRows(t, u.id)).toEqual([{ type: 'usage', amount: -2 }]);
    const [usage] = await sqlRows<any>(t, `select total_generations, successful_generations, outputs, credits_used, total_cost_micros from usage_stats where user_id = '${u.id}'`);
    expect(usage).toMatchObject({ total_generations: 1, successful_generations: 1, outputs: 2, credits_used: 2 });
    expect(Number(usage.total_cost_micros)).toBe(1234);
    const calls = await sqlRows<any>(t, `select provider, status, attempt from provider_calls where generation_id = '${id}'`);
    expect(calls).toEqual([{ provider: 'local', status: 'ok', attempt: 1 }]);
  });

  it('captures only the outputs delivered and releases the rest (partial success)', async () => {
    const u = await t.user(5);
    standIn.script({ kind: 'ok', outputs: 2 });
    const id = await start(u, { num_outputs: 4 });
    const g = await t.until(u.token, id, final);
    expect(g).toMatchObject({ status: 'completed', credits_reserved: 4, credits_used: 2 });
    expect(g.outputs).toHaveLength(2);
    expect(await t.balance(u.id)).toEqual({ available: 3, held: 0 });
  });

  it('retries a retryable provider error with backoff, then succeeds and charges once', async () => {
    const u = await t.user(5);
    standIn.script({ kind: 'fail', retryable: true }, { kind: 'ok' });
    const id = await start(u, {});
    const g = await t.until(u.token, id, final);
    expect(g).toMatchObject({ status: 'completed', attempts: 2, credits_used: 1 });
    expect(await usageRows(t, u.id)).toEqual([{ type: 'usage', amount: -1 }]);
    const calls = await sqlRows<any>(t, `select status, attempt from provider_calls where generation_id = '${id}' order by attempt`);
    expect(calls).toEqual([
      { status: 'error', attempt: 1 },
      { status: 'ok', attempt: 2 },
    ]);
  });

  it('fails and releases once retries are used up', async () => {
    const u = await t.user(5);
    standIn.script({ kind: 'fail', retryable: true, message: 'busy' }, { kind: 'fail', retryable: true, message: 'still busy' });
    const id = await start(u, { num_outputs: 2 });
    const g = await t.until(u.token, id, final);
    expect(g).toMatchObject({ status: 'failed', credits_used: 0, error: { code: 'provider_error', message: 'still busy' } });
    expect(await t.balance(u.id)).toEqual({ available: 5, held: 0 });
    expect(await usageRows(t, u.id)).toEqual([]);
  });

  it('fails at once on a final provider error and releases the hold', async () => {
    const u = await t.user(5);
    standIn.script({ kind: 'fail', retryable: false, code: 'content_policy', message: 'refused' });
    const id = await start(u, {});
    const g = await t.until(u.token, id, final);
    expect(g).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'content_policy', message: 'refused' } });
    expect(await t.balance(u.id)).toEqual({ available: 5, held: 0 });
    const [usage] = await sqlRows<any>(t, `select failed_generations from usage_stats where user_id = '${u.id}'`);
    expect(usage.failed_generations).toBe(1);
  });

  it('cancels a running generation: the provider is aborted, the hold released, nothing stored', async () => {
    const u = await t.user(5);
    standIn.script({ kind: 'hang' });
    const runsBefore = standIn.runs.length;
    const id = await start(u, { num_outputs: 2 });
    await t.until(u.token, id, (g) => g.status === 'processing' && standIn.runs.length > runsBefore);
    const res = await call(t.app, 'POST', `/api/v1/generations/${id}/cancel`, { token: u.token });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.status).toBe('cancelled');
    expect(await t.balance(u.id)).toEqual({ available: 5, held: 0 });
    const run = standIn.runs.find((r) => r.input.generationId === id)!;
    await expect.poll(() => run.aborted).toBe(true);
    expect((await t.get(u.token, id)).outputs).toEqual([]);
    // A finished generation cannot be cancelled.
    standIn.script({ kind: 'ok' });
    const done = await start(u, {});
    await t.until(u.token, done, final);
    expect((await call(t.app, 'POST', `/api/v1/generations/${done}/cancel`, { token: u.token })).statusCode).toBe(409);
  });

  it('fails with timeout and releases when the deadline (Cancel-After) passes during the run', async () => {
    const u = await t.user(5);
    standIn.script({ kind: 'hang' });
    const id = await start(u, {}, { 'cancel-after': '1' });
    const g = await t.until(u.token, id, final);
    expect(g).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
    expect(await t.balance(u.id)).toEqual({ available: 5, held: 0 });
  });

  it('watermarks the outputs of users whose plan says so', async () => {
    const u = await t.user(5);
    watermarked.add(u.id);
    standIn.script({ kind: 'ok' });
    const id = await start(u, {});
    const g = await t.until(u.token, id, final);
    const content = await t.app.inject({ method: 'GET', url: g.outputs[0].url.replace(/^https?:\/\/[^/]+/, '') });
    // The stand-in returns one flat colour; a tiled text overlay makes the pixels vary.
    const stats = await sharp(content.rawPayload).stats();
    expect(stats.channels.some((c) => c.stdev > 1)).toBe(true);
  });
});

describe('per-user concurrency', () => {
  it('runs at most ATELIER_GENERATION_CONCURRENCY_PER_USER of one user at a time', async () => {
    const u = await t.user(10);
    maxActive = 0;
    standIn.script(...Array.from({ length: 5 }, () => ({ kind: 'ok' as const, delayMs: 400 })));
    const ids = await Promise.all(Array.from({ length: 5 }, () => start(u, {})));
    for (const id of ids) expect((await t.until(u.token, id, final, 60_000)).status).toBe('completed');
    expect(maxActive).toBe(2);
  });
});
