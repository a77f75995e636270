/**
 * Generation batches: many headshots of one trained subject, submitted all or nothing.
 * Real: app, database (PGlite or PostgreSQL), pg-boss queue and the engine's workers in this
 * process, the credit ledger, media uploads, parallel requests, Idempotency-Key handling.
 * Stand-in: the image provider (a scripted trainer/renderer defined here).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, type ImageProvider, type ProviderInput } from '../../src/modules/generation/providers/provider.ts';
import { call, sqlRows } from '../helpers/app.ts';
import { createGenerationTestApp, type GenerationTestApp } from '../helpers/generation.ts';
import { png } from '../helpers/stand-in-provider.ts';

const script: Array<'ok' | 'fail'> = [];
const seen: ProviderInput[] = [];
const provider: ImageProvider = {
  id: 'local',
  supports: () => true,
  async run(input) {
    seen.push(input);
    if (input.type === 'subject_training') return { outputs: [], model: 'trainer-1', costMicros: 0, artifacts: { trained_model: 'owner/lora:v1', trigger_word: 'atlabc' } };
    if ((script.shift() ?? 'ok') === 'fail') throw new ProviderError('provider_error', 'render failed', { retryable: false });
    return { outputs: await Promise.all(Array.from({ length: input.numOutputs }, (_, i) => png(i + 1).then((bytes) => ({ bytes, mimeType: 'image/png' })))), model: 'stand-in-1', costMicros: 0 };
  },
};

let t: GenerationTestApp;
beforeAll(async () => {
  t = await createGenerationTestApp({ generation: { providers: [provider] } });
});
afterEach(async () => t.invariants());
afterAll(async () => t?.close());

/** A user with a ready subject and `credits` left after its training (5 credits). */
async function withSubject(credits: number) {
  const u = await t.user(credits + 5);
  await t.startWorkers();
  const res = await call(t.app, 'POST', '/api/v1/subjects', { token: u.token, body: { name: 'Ana', gender: 'female', image_asset_ids: [await t.sourceAsset(u.token)] } });
  expect(res.statusCode, res.body).toBe(202);
  await t.until(u.token, res.data.training_generation_id, (g) => g.status === 'completed');
  return { ...u, subjectId: res.data.id as string };
}
const batch = (token: string, body: unknown, headers: Record<string, string> = {}) => call(t.app, 'POST', '/api/v1/generation-batches', { token, body, headers });
const getBatch = (token: string, id: string) => call(t.app, 'GET', `/api/v1/generation-batches/${id}`, { token });
const countOf = async (table: string, userId: string) => Number((await sqlRows<{ n: string }>(t, `select count(*) as n from ${table} where user_id = '${userId}'`))[0]!.n);

describe('POST /generation-batches', () => {
  it('creates one headshot per reference with its outputs and holds, and reports totals as they end', async () => {
    const u = await withSubject(20);
    const refs = [await t.sourceAsset(u.token), await t.sourceAsset(u.token)];
    script.push('ok', 'fail');
    const res = await batch(u.token, { subject_id: u.subjectId, reference_asset_ids: refs, images_per_reference: 3, params: { aspect_ratio: '9:16', glasses: 'yes' } });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.data).toMatchObject({ status: 'pending', credits_reserved: 6 });
    expect(res.data.generation_ids).toHaveLength(2);
    for (const id of res.data.generation_ids) await t.until(u.token, id, (g) => g.status === 'completed' || g.status === 'failed');
    const got = await getBatch(u.token, res.data.id);
    expect(got.statusCode, got.body).toBe(200);
    expect(got.data).toMatchObject({
      status: 'partial',
      type: 'headshot',
      subject_id: u.subjectId,
      total_generations: 2,
      total_images: 6,
      counts: { pending: 0, processing: 0, completed: 1, failed: 1, cancelled: 0 },
      credits_reserved: 6,
      credits_used: 3,
      outputs: 3,
    });
    expect(got.data.completed_at).not.toBeNull();
    expect(await t.balance(u.id)).toEqual({ available: 17, held: 0 });
    // Each generation had its reference as source, the subject's photo and the trained model.
    const input = seen.find((i) => i.generationId === res.data.generation_ids[0])!;
    expect(input.params).toMatchObject({ aspect_ratio: '9:16', glasses: 'yes', reference_asset_id: refs[0] });
    expect(input.images.map((i) => i.role).sort()).toEqual(['source', 'subject']);
    expect(input.context).toMatchObject({ subject: { trainedModel: 'owner/lora:v1', triggerWord: 'atlabc' } });
    const list = await call(t.app, 'GET', `/api/v1/generations?batch_id=${res.data.id}`, { token: u.token });
    expect(list.data.data).toHaveLength(2);
  });

  it('makes one generation per style key', async () => {
    const u = await withSubject(10);
    await t.stopWorkers();
    const res = await batch(u.token, { subject_id: u.subjectId, style_keys: ['corporate', 'casual'], images_per_reference: 2 });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.data.credits_reserved).toBe(4);
    const params = await sqlRows<{ p: any }>(t, `select params as p from generations where batch_id = '${res.data.id}'`);
    expect(params.map((r) => (typeof r.p === 'string' ? JSON.parse(r.p) : r.p).styles[0]).sort()).toEqual(['casual', 'corporate']);
    expect((await getBatch(u.token, res.data.id)).data).toMatchObject({ status: 'pending', counts: { pending: 2 } });
    expect(await t.balance(u.id)).toEqual({ available: 6, held: 4 });
    await t.startWorkers();
    for (const id of res.data.generation_ids) await t.until(u.token, id, (g) => g.status === 'completed');
  });

  it('creates nothing when the balance covers only part of the batch (402)', async () => {
    const u = await withSubject(7);
    const refs = [await t.sourceAsset(u.token), await t.sourceAsset(u.token)];
    const before = await countOf('generations', u.id);
    const res = await batch(u.token, { subject_id: u.subjectId, reference_asset_ids: refs });
    expect(res.statusCode).toBe(402);
    expect(res.data.code).toBe('insufficient_credits');
    expect(await countOf('generations', u.id)).toBe(before);
    expect(await countOf('generation_batches', u.id)).toBe(0);
    expect(await t.balance(u.id)).toEqual({ available: 7, held: 0 });
  });

  it('accepts exactly 2 of 5 parallel batches on a balance for 2', async () => {
    const u = await withSubject(16);
    await t.stopWorkers();
    const refs = [await t.sourceAsset(u.token), await t.sourceAsset(u.token)];
    const results = await Promise.all(Array.from({ length: 5 }, () => batch(u.token, { subject_id: u.subjectId, reference_asset_ids: refs })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([202, 202, 402, 402, 402]);
    expect(await countOf('generation_batches', u.id)).toBe(2);
    expect(Number((await sqlRows<{ n: string }>(t, `select count(*) as n from generations where user_id = '${u.id}' and type = 'headshot'`))[0]!.n)).toBe(4);
    expect(await t.balance(u.id)).toEqual({ available: 0, held: 16 });
    await t.startWorkers();
    for (const r of results.filter((x) => x.statusCode === 202)) for (const id of r.data.generation_ids) await t.until(u.token, id, (g) => g.status === 'completed');
  });

  it('replays the first answer for the same Idempotency-Key and refuses it with another body', async () => {
    const u = await withSubject(8);
    const ref = await t.sourceAsset(u.token);
    const body = { subject_id: u.subjectId, reference_asset_ids: [ref] };
    const first = await batch(u.token, body, { 'idempotency-key': 'batch-1' });
    const again = await batch(u.token, body, { 'idempotency-key': 'batch-1' });
    expect(first.statusCode, first.body).toBe(202);
    expect(again.statusCode).toBe(202);
    expect(again.data).toEqual(first.data);
    expect(await countOf('generation_batches', u.id)).toBe(1);
    const other = await batch(u.token, { ...body, images_per_reference: 1 }, { 'idempotency-key': 'batch-1' });
    expect(other.statusCode).toBe(409);
    expect(other.data.code).toBe('idempotency_conflict');
    for (const id of first.data.generation_ids) await t.until(u.token, id, (g) => g.status === 'completed');
    expect(await t.balance(u.id)).toEqual({ available: 4, held: 0 });
  });

  it("refuses bad input, another user's subject or batch (404), and a subject not ready (409)", async () => {
    const u = await withSubject(10);
    const other = await t.user(10);
    const ref = await t.sourceAsset(u.token);
    expect((await batch(u.token, { subject_id: u.subjectId })).statusCode).toBe(400);
    expect((await batch(u.token, { subject_id: u.subjectId, reference_asset_ids: [ref], style_keys: ['x'] })).statusCode).toBe(400);
    expect((await batch(u.token, { subject_id: u.subjectId, style_keys: ['x'], params: { aspect_ratio: '4:3' } })).statusCode).toBe(400);
    expect((await batch(other.token, { subject_id: u.subjectId, style_keys: ['x'] })).statusCode).toBe(404);
    const theirRef = await t.sourceAsset(other.token);
    expect((await batch(u.token, { subject_id: u.subjectId, reference_asset_ids: [ref, theirRef] })).statusCode).toBe(404);
    const ok = await batch(u.token, { subject_id: u.subjectId, style_keys: ['x'], images_per_reference: 1 });
    expect((await getBatch(other.token, ok.data.id)).statusCode).toBe(404);
    await t.until(u.token, ok.data.generation_ids[0], (g) => g.status === 'completed');

    await t.stopWorkers();
    const training = await call(t.app, 'POST', '/api/v1/subjects', { token: u.token, body: { name: 'B', gender: 'male', image_asset_ids: [ref] } });
    const refused = await batch(u.token, { subject_id: training.data.id, style_keys: ['x'] });
    expect(refused.statusCode).toBe(409);
    await t.startWorkers();
    await t.until(u.token, training.data.training_generation_id, (g) => g.status === 'completed');
    expect(await countOf('generation_batches', u.id)).toBe(1);
  });
});
