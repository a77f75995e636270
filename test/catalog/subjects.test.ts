/**
 * Headshot subjects: training paid through the generation engine, ended by the engine's settlement.
 * Real: app, database (PGlite or PostgreSQL), pg-boss queue and the engine's workers in this
 * process, the credit ledger, media uploads, parallel requests. Stand-in: the image provider (a
 * scripted trainer defined here that answers like the external adapters, artifacts included).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, type ImageProvider, type ProviderInput } from '../../src/modules/generation/providers/provider.ts';
import { call, sqlRows } from '../helpers/app.ts';
import { createGenerationTestApp, type GenerationTestApp } from '../helpers/generation.ts';
import { png } from '../helpers/stand-in-provider.ts';

const script: Array<'ok' | 'fail'> = [];
const seen: ProviderInput[] = [];
const trainer: ImageProvider = {
  id: 'local',
  supports: () => true,
  async run(input) {
    seen.push(input);
    const step = script.shift() ?? 'ok';
    if (step === 'fail') throw new ProviderError('provider_error', 'training diverged', { retryable: false });
    if (input.type === 'subject_training') {
      return { outputs: [], model: 'trainer-1', costMicros: 0, artifacts: { provider: 'stand-in', trained_model: `owner/lora:${input.generationId.slice(0, 8)}`, trigger_word: 'atlxyz' } };
    }
    return { outputs: await Promise.all(Array.from({ length: input.numOutputs }, (_, i) => png(i + 1).then((bytes) => ({ bytes, mimeType: 'image/png' })))), model: 'stand-in-1', costMicros: 0 };
  },
};

let t: GenerationTestApp;
beforeAll(async () => {
  t = await createGenerationTestApp({ generation: { providers: [trainer] } });
  await t.startWorkers();
});
afterEach(async () => t.invariants());
afterAll(async () => t?.close());

const create = (token: string, body: unknown) => call(t.app, 'POST', '/api/v1/subjects', { token, body });
const getSubject = (token: string, id: string) => call(t.app, 'GET', `/api/v1/subjects/${id}`, { token });
async function untilSubject(token: string, id: string, done: (s: any) => boolean) {
  for (let i = 0; i < 400; i++) {
    const res = await getSubject(token, id);
    if (done(res.data)) return res.data;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`subject ${id} did not settle`);
}
const count = async (table: string, userId: string) => Number((await sqlRows<{ n: string }>(t, `select count(*) as n from ${table} where user_id = '${userId}'`))[0]!.n);

describe('POST /subjects', () => {
  it('charges the training price, answers 202 training, and becomes ready with the provider artifacts', async () => {
    const u = await t.user(10);
    const photos = [await t.sourceAsset(u.token), await t.sourceAsset(u.token)];
    script.push('ok');
    const res = await create(u.token, { name: 'Ana', gender: 'female', image_asset_ids: photos });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.data).toMatchObject({ status: 'training', images_count: 2, image_asset_ids: photos, training_credits: 5, preview_asset_id: photos[0] });
    const ready = await untilSubject(u.token, res.data.id, (s) => s.status !== 'training');
    expect(ready).toMatchObject({ status: 'ready', trigger_word: 'atlxyz', error: null });
    expect(await t.balance(u.id)).toEqual({ available: 5, held: 0 });
    const training = await t.get(u.token, res.data.training_generation_id);
    expect(training).toMatchObject({ type: 'subject_training', status: 'completed', credits_used: 5 });
    // The trainer got the subject's photos, in order.
    const input = seen.find((i) => i.generationId === training.id)!;
    expect(input.images.map((i) => i.assetId)).toEqual(photos);

    const list = await call(t.app, 'GET', '/api/v1/subjects', { token: u.token });
    expect(list.data.map((s: any) => s.id)).toEqual([res.data.id]);
  });

  it('marks the subject failed and releases the credits when the training fails', async () => {
    const u = await t.user(5);
    script.push('fail');
    const res = await create(u.token, { name: 'Bo', gender: 'male', image_asset_ids: [await t.sourceAsset(u.token)] });
    expect(res.statusCode, res.body).toBe(202);
    const failed = await untilSubject(u.token, res.data.id, (s) => s.status !== 'training');
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'provider_error', message: 'training diverged' } });
    expect(await t.balance(u.id)).toEqual({ available: 5, held: 0 });
  });

  it('answers 402 with too few credits and creates nothing', async () => {
    const u = await t.user(4);
    const res = await create(u.token, { name: 'Cy', gender: 'male', image_asset_ids: [await t.sourceAsset(u.token)] });
    expect(res.statusCode).toBe(402);
    expect(res.data.code).toBe('insufficient_credits');
    expect(await count('subjects', u.id)).toBe(0);
    expect(await count('generations', u.id)).toBe(0);
    expect(await t.balance(u.id)).toEqual({ available: 4, held: 0 });
  });

  it("refuses another user's photos (404), more than 5 photos and a repeated photo (400)", async () => {
    const a = await t.user(10);
    const b = await t.user(10);
    const theirs = await t.sourceAsset(b.token);
    const mine = await t.sourceAsset(a.token);
    expect((await create(a.token, { name: 'X', gender: 'male', image_asset_ids: [mine, theirs] })).statusCode).toBe(404);
    expect((await create(a.token, { name: 'X', gender: 'male', image_asset_ids: Array(6).fill(mine) })).statusCode).toBe(400);
    expect((await create(a.token, { name: 'X', gender: 'male', image_asset_ids: [mine, mine] })).statusCode).toBe(400);
    expect((await create(a.token, { name: 'X', gender: 'other', image_asset_ids: [mine] })).statusCode).toBe(400);
    expect(await count('subjects', a.id)).toBe(0);
    expect(await t.balance(a.id)).toEqual({ available: 10, held: 0 });
  });

  it("keeps subjects to their owner: another user's is 404 to read, delete and generate with", async () => {
    const a = await t.user(10);
    const b = await t.user(10);
    const res = await create(a.token, { name: 'Di', gender: 'female', image_asset_ids: [await t.sourceAsset(a.token)] });
    await untilSubject(a.token, res.data.id, (s) => s.status !== 'training');
    expect((await getSubject(b.token, res.data.id)).statusCode).toBe(404);
    expect((await call(t.app, 'DELETE', `/api/v1/subjects/${res.data.id}`, { token: b.token })).statusCode).toBe(404);
    expect((await call(t.app, 'POST', '/api/v1/generations', { token: b.token, body: { type: 'headshot', subject_id: res.data.id } })).statusCode).toBe(404);
    expect((await call(t.app, 'DELETE', `/api/v1/subjects/${res.data.id}`, { token: a.token })).statusCode).toBe(204);
    expect((await getSubject(a.token, res.data.id)).statusCode).toBe(404);
  });
});

describe('POST /subjects with an Idempotency-Key', () => {
  it('parallel requests with one key make one subject, one training and one hold; another body is 409', async () => {
    const u = await t.user(20);
    const photos = [await t.sourceAsset(u.token), await t.sourceAsset(u.token)];
    const body = { name: 'Ida', gender: 'female', image_asset_ids: photos };
    const headers = { 'idempotency-key': `subject-${crypto.randomUUID()}` };
    const answers = await Promise.all(Array.from({ length: 5 }, () => call(t.app, 'POST', '/api/v1/subjects', { token: u.token, body, headers })));
    for (const res of answers) expect(res.statusCode, res.body).toBe(202);
    expect(new Set(answers.map((r) => r.data.id)).size).toBe(1);
    expect(new Set(answers.map((r) => r.data.training_generation_id)).size).toBe(1);
    expect(answers.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
    expect(await count('subjects', u.id)).toBe(1);
    expect(await count('generations', u.id)).toBe(1);
    expect(await count('credit_holds', u.id)).toBe(1);
    // The training generation carries the key, as one from POST /generations does.
    const [training] = await sqlRows<{ id: string; idempotency_key: string }>(t, `select id, idempotency_key from generations where user_id = '${u.id}'`);
    expect(training).toEqual({ id: answers[0]!.data.training_generation_id, idempotency_key: headers['idempotency-key'] });

    const reused = await call(t.app, 'POST', '/api/v1/subjects', { token: u.token, body: { ...body, name: 'Other' }, headers });
    expect(reused.statusCode).toBe(409);
    expect(reused.data.code).toBe('idempotency_conflict');
    await untilSubject(u.token, answers[0]!.data.id, (x) => x.status !== 'training');
    expect(await count('subjects', u.id)).toBe(1);
    expect(await t.balance(u.id)).toEqual({ available: 15, held: 0 });
  });

  it('a key whose stored answer has been pruned is refused (409), never a second training', async () => {
    const u = await t.user(20);
    const key = `subject-${crypto.randomUUID()}`;
    const body = { name: 'Jo', gender: 'male', image_asset_ids: [await t.sourceAsset(u.token)] };
    const first = await call(t.app, 'POST', '/api/v1/subjects', { token: u.token, body, headers: { 'idempotency-key': key } });
    expect(first.statusCode, first.body).toBe(202);
    await untilSubject(u.token, first.data.id, (x) => x.status !== 'training');
    await sqlRows(t, `delete from idempotency_keys where scope = 'user:${u.id}'`);
    const again = await call(t.app, 'POST', '/api/v1/subjects', { token: u.token, body, headers: { 'idempotency-key': key } });
    expect(again.statusCode, again.body).toBe(409);
    expect(again.data.code).toBe('idempotency_conflict');
    expect(await count('subjects', u.id)).toBe(1);
    expect(await count('generations', u.id)).toBe(1);
    expect(await t.balance(u.id)).toEqual({ available: 15, held: 0 });
  });
});

describe('deleting a subject', () => {
  it('keeps its generations and batch with the subject set to null, credits and outputs untouched', async () => {
    const u = await t.user(20);
    const s = await create(u.token, { name: 'Ki', gender: 'female', image_asset_ids: [await t.sourceAsset(u.token)] });
    await untilSubject(u.token, s.data.id, (x) => x.status === 'ready');
    const shot = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'headshot', subject_id: s.data.id } });
    expect(shot.statusCode, shot.body).toBe(202);
    const done = await t.until(u.token, shot.data.id, (g) => g.status === 'completed');
    const batch = await call(t.app, 'POST', '/api/v1/generation-batches', { token: u.token, body: { subject_id: s.data.id, reference_asset_ids: [await t.sourceAsset(u.token)], images_per_reference: 1 } });
    expect(batch.statusCode, batch.body).toBe(202);
    expect(batch.data.generation_ids).toHaveLength(1);
    for (const id of batch.data.generation_ids) await t.until(u.token, id, (x) => x.status === 'completed');
    const before = await t.balance(u.id);

    expect((await call(t.app, 'DELETE', `/api/v1/subjects/${s.data.id}`, { token: u.token })).statusCode).toBe(204);
    const training = await t.get(u.token, s.data.training_generation_id);
    expect(training).toMatchObject({ status: 'completed', subject_id: null, credits_used: 5 });
    const after = await t.get(u.token, shot.data.id);
    expect(after).toMatchObject({ status: 'completed', subject_id: null, credits_used: done.credits_used });
    expect(after.outputs).toHaveLength(done.outputs.length);
    expect((await call(t.app, 'GET', `/api/v1/generation-batches/${batch.data.id}`, { token: u.token })).data).toMatchObject({ subject_id: null, status: 'completed' });
    expect(await sqlRows(t, `select 1 from generations where subject_id = '${s.data.id}'`)).toEqual([]);
    expect(await t.balance(u.id)).toEqual(before);
  });

  it('fails a headshot still waiting to run and releases its credits', async () => {
    const u = await t.user(20);
    const s = await create(u.token, { name: 'Lu', gender: 'male', image_asset_ids: [await t.sourceAsset(u.token)] });
    await untilSubject(u.token, s.data.id, (x) => x.status === 'ready');
    await t.stopWorkers();
    let shotId: string;
    try {
      const shot = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'headshot', subject_id: s.data.id } });
      expect(shot.statusCode, shot.body).toBe(202);
      shotId = shot.data.id;
      expect((await call(t.app, 'DELETE', `/api/v1/subjects/${s.data.id}`, { token: u.token })).statusCode).toBe(204);
    } finally {
      await t.startWorkers();
    }
    const ended = await t.until(u.token, shotId!, (g) => ['completed', 'failed', 'cancelled'].includes(g.status));
    expect(ended).toMatchObject({ status: 'failed', subject_id: null, error: { code: 'invalid_input' } });
    expect(await t.balance(u.id)).toEqual({ available: 15, held: 0 });
  });
});

describe('headshots of a subject', () => {
  it('passes the subject photos and the trained model to the provider', async () => {
    const u = await t.user(20);
    const photos = [await t.sourceAsset(u.token), await t.sourceAsset(u.token), await t.sourceAsset(u.token)];
    const s = await create(u.token, { name: 'Eve', gender: 'female', image_asset_ids: photos });
    const ready = await untilSubject(u.token, s.data.id, (x) => x.status !== 'training');
    expect(ready.status).toBe('ready');
    const res = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'headshot', subject_id: s.data.id, num_outputs: 2, params: { glasses: 'yes' } } });
    expect(res.statusCode, res.body).toBe(202);
    const done = await t.until(u.token, res.data.id, (g) => g.status === 'completed');
    expect(done.outputs).toHaveLength(2);
    const input = seen.find((i) => i.generationId === res.data.id)!;
    expect(input.images.map((i) => [i.role, i.assetId])).toEqual(photos.map((p) => ['subject', p]));
    expect(input.context).toMatchObject({ subject: { trainedModel: `owner/lora:${s.data.training_generation_id.slice(0, 8)}`, triggerWord: 'atlxyz', gender: 'female' } });
  });

  it('answers 409 for a subject that is not ready', async () => {
    const u = await t.user(20);
    script.push('fail');
    const s = await create(u.token, { name: 'Fa', gender: 'male', image_asset_ids: [await t.sourceAsset(u.token)] });
    await untilSubject(u.token, s.data.id, (x) => x.status !== 'training');
    const res = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'headshot', subject_id: s.data.id } });
    expect(res.statusCode).toBe(409);
    expect(res.data.code).toBe('conflict');
    expect(await t.balance(u.id)).toEqual({ available: 20, held: 0 });
  });
});

describe('without a provider that can train', () => {
  it('refuses the subject up front: nothing created, nothing held', async () => {
    // The local provider prepares subjects (decision 030): with only an unconfigured external provider listed, none can.
    const local = await createGenerationTestApp({ env: { ATELIER_PROVIDERS: 'gemini' }, generation: {} });
    try {
      const u = await local.user(10);
      const res = await call(local.app, 'POST', '/api/v1/subjects', { token: u.token, body: { name: 'G', gender: 'male', image_asset_ids: [await local.sourceAsset(u.token)] } });
      expect(res.statusCode).toBe(400);
      expect(res.data.code).toBe('provider_unavailable');
      expect(Number((await sqlRows<{ n: string }>(local, `select count(*) as n from subjects where user_id = '${u.id}'`))[0]!.n)).toBe(0);
      expect(await local.balance(u.id)).toEqual({ available: 10, held: 0 });
    } finally {
      await local.close();
    }
  });
});
