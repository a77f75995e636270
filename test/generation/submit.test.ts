/**
 * Submitting generations and reading them back.
 * Real: app, database (PGlite or PostgreSQL), pg-boss queue (jobs are written, no worker runs in
 * this file), the credit ledger, media uploads, parallel requests. Stand-in: the image provider
 * (test/helpers/stand-in-provider.ts; it never runs here), a manual clock.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reconcileOverdue } from '../../src/modules/generation/index.ts';
import { call, sqlRows } from '../helpers/app.ts';
import { createGenerationTestApp, type GenerationTestApp } from '../helpers/generation.ts';
import { createStandInProvider } from '../helpers/stand-in-provider.ts';

let t: GenerationTestApp;
const standIn = createStandInProvider();
beforeAll(async () => {
  t = await createGenerationTestApp({ generation: { providers: [standIn.provider] } });
});
afterEach(async () => t.invariants());
afterAll(async () => t?.close());

const submit = (token: string, body: unknown, headers: Record<string, string> = {}) => call(t.app, 'POST', '/api/v1/generations', { token, body, headers });
const jobsOf = async (id: string) => Number((await sqlRows<{ n: string }>(t, `select count(*) as n from pgboss.job where name = 'generation.run' and data->>'generation_id' = '${id}'`))[0]!.n);

describe('GET /generation-types', () => {
  it('lists every type with its studio, price, JSON Schema of params and providers', async () => {
    const res = await call(t.app, 'GET', '/api/v1/generation-types');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toHaveLength(11);
    const upscale = res.data.find((x: any) => x.type === 'upscale');
    expect(upscale).toMatchObject({ studio: 'print-prep', credits_per_output: 1, providers: ['local'] });
    expect(upscale.params_schema.properties.factor.anyOf.map((a: any) => a.const)).toEqual([2, 4]);
    expect(upscale.params_schema.additionalProperties).toBe(false);
    expect(upscale).toMatchObject({ sources: { min: 1, max: 1 }, needs: { prompt: false, subject: false, style: false } });
    expect(res.data.find((x: any) => x.type === 'generate').needs.prompt).toBe(true);
    expect(res.data.find((x: any) => x.type === 'style_conversion').needs.style).toBe(true);
    const headshot = res.data.find((x: any) => x.type === 'headshot');
    expect(headshot.params_schema.properties.hair_color.enum).toEqual(['default', 'black', 'brown', 'blonde', 'red']);
    expect(res.data.find((x: any) => x.type === 'style_conversion').styles).toContain('watercolor');
  });

  it('offers only the types of ATELIER_STUDIOS', async () => {
    const only = await createGenerationTestApp({ env: { ATELIER_STUDIOS: 'print-prep' }, generation: { providers: [standIn.provider] } });
    try {
      const res = await call(only.app, 'GET', '/api/v1/generation-types');
      expect(res.data.map((x: any) => x.type).sort()).toEqual(['background_removal', 'generate', 'upscale', 'vectorize']);
      const u = await only.user(5);
      const refused = await call(only.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'ad_creative', params: { headline: 'Hi' } } });
      expect(refused.statusCode).toBe(400);
      expect(refused.data.errors[0].path).toBe('type');
    } finally {
      await only.close();
    }
  });
});

describe('POST /generations', () => {
  it('holds price × num_outputs, creates it pending with a queue position and sends its job', async () => {
    const u = await t.user(10);
    const src = await t.sourceAsset(u.token);
    const res = await submit(u.token, { type: 'upscale', source_asset_ids: [src], params: { factor: 4 }, num_outputs: 3 });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.data).toMatchObject({ type: 'upscale', studio: 'print-prep', status: 'pending', provider: 'local', credits_reserved: 3, credits_used: 0, outputs: [], error: null, params: { factor: 4 } });
    expect(res.data.queue_position).toBeGreaterThanOrEqual(1);
    expect(await t.balance(u.id)).toEqual({ available: 7, held: 3 });
    expect(await jobsOf(res.data.id)).toBe(1);
  });

  it('fills parameter defaults and refuses unknown or bad parameters with their paths', async () => {
    const u = await t.user(5);
    const src = await t.sourceAsset(u.token);
    const ok = await submit(u.token, { type: 'vectorize', source_asset_ids: [src] });
    expect(ok.data.params).toEqual({ mode: 'mono', colors: 4 });
    const bad = await submit(u.token, { type: 'upscale', source_asset_ids: [src], params: { factor: 3, extra: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.data.code).toBe('validation_failed');
    expect(bad.data.errors.map((e: any) => e.path).sort()).toEqual(['params', 'params.factor']);
    const noSource = await submit(u.token, { type: 'upscale' });
    expect(noSource.statusCode).toBe(400);
    expect(noSource.data.errors[0].path).toBe('source_asset_ids');
    const noPrompt = await submit(u.token, { type: 'generate' });
    expect(noPrompt.data.errors[0].path).toBe('prompt');
    const badStyle = await submit(u.token, { type: 'style_conversion', source_asset_ids: [src], style: 'crayon' });
    expect(badStyle.statusCode).toBe(400);
    const badProvider = await submit(u.token, { type: 'upscale', source_asset_ids: [src], provider: 'gemini' });
    expect(badProvider.statusCode).toBe(400);
    expect(badProvider.data.errors[0].path).toBe('provider');
    const badCancelAfter = await submit(u.token, { type: 'upscale', source_asset_ids: [src] }, { 'cancel-after': 'soon' });
    expect(badCancelAfter.statusCode).toBe(400);
    expect(await t.balance(u.id)).toEqual({ available: 4, held: 1 });
  });

  it("answers 404 for another user's source asset and for any catalog id, creating nothing", async () => {
    const a = await t.user(5);
    const b = await t.user(5);
    const theirs = await t.sourceAsset(b.token);
    const res = await submit(a.token, { type: 'upscale', source_asset_ids: [theirs] });
    expect(res.statusCode).toBe(404);
    expect(res.data.code).toBe('not_found');
    for (const body of [
      { type: 'model_shot', product_id: crypto.randomUUID() },
      { type: 'headshot', subject_id: crypto.randomUUID() },
      { type: 'ad_creative', template_id: crypto.randomUUID(), params: { headline: 'Sale' } },
    ]) {
      const r = await submit(a.token, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(404);
    }
    expect(await t.balance(a.id)).toEqual({ available: 5, held: 0 });
    expect((await call(t.app, 'GET', '/api/v1/generations', { token: a.token })).data.data).toEqual([]);
  });

  it('refuses with 402 and creates nothing when credits are short', async () => {
    const u = await t.user(2);
    const src = await t.sourceAsset(u.token);
    const res = await submit(u.token, { type: 'upscale', source_asset_ids: [src], num_outputs: 3 });
    expect(res.statusCode).toBe(402);
    expect(res.data.code).toBe('insufficient_credits');
    expect(await t.balance(u.id)).toEqual({ available: 2, held: 0 });
    expect(await sqlRows(t, `select id from generations where user_id = '${u.id}'`)).toEqual([]);
  });

  it('20 parallel submissions on 5 credits at 1 credit each: 5 accepted, 15 refused, 5 held', async () => {
    const u = await t.user(5);
    const src = await t.sourceAsset(u.token);
    const results = await Promise.all(Array.from({ length: 20 }, () => submit(u.token, { type: 'background_removal', source_asset_ids: [src] })));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 202)).toHaveLength(5);
    expect(codes.filter((c) => c === 402)).toHaveLength(15);
    expect(await t.balance(u.id)).toEqual({ available: 0, held: 5 });
    const rows = await sqlRows<{ id: string }>(t, `select id from generations where user_id = '${u.id}'`);
    expect(rows).toHaveLength(5);
    for (const r of rows) expect(await jobsOf(r.id)).toBe(1);
  });

  it('replays an Idempotency-Key: one generation, one hold, same answer; another body is 409', async () => {
    const u = await t.user(5);
    const src = await t.sourceAsset(u.token);
    const body = { type: 'upscale', source_asset_ids: [src], num_outputs: 2 };
    const headers = { 'idempotency-key': 'gen-1' };
    const [first, second] = await Promise.all([submit(u.token, body, headers), submit(u.token, body, headers)]);
    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    expect(second.data.id).toBe(first.data.id);
    const third = await submit(u.token, body, headers);
    expect(third.headers['idempotent-replayed']).toBe('true');
    expect(third.data).toEqual(first.data);
    expect(await t.balance(u.id)).toEqual({ available: 3, held: 2 });
    expect(await sqlRows(t, `select id from generations where user_id = '${u.id}'`)).toHaveLength(1);
    const other = await submit(u.token, { ...body, num_outputs: 1 }, headers);
    expect(other.statusCode).toBe(409);
    expect(other.data.code).toBe('idempotency_conflict');
  });

  it('takes the deadline from Cancel-After', async () => {
    const u = await t.user(5);
    const src = await t.sourceAsset(u.token);
    const res = await submit(u.token, { type: 'upscale', source_asset_ids: [src] }, { 'cancel-after': '90' });
    expect(new Date(res.data.deadline_at).getTime() - new Date(res.data.created_at).getTime()).toBe(90_000);
  });
});

describe('reading, annotating and cancelling', () => {
  it('lists with filters and cursor pages; another user sees 404', async () => {
    const u = await t.user(10);
    const src = await t.sourceAsset(u.token);
    const ids: string[] = [];
    for (const type of ['upscale', 'vectorize', 'upscale']) {
      ids.push((await submit(u.token, { type, source_asset_ids: [src] })).data.id);
      t.clock.advance(1000);
    }
    const all = await call(t.app, 'GET', '/api/v1/generations?limit=2', { token: u.token });
    expect(all.data.data.map((g: any) => g.id)).toEqual([ids[2], ids[1]]);
    const next = await call(t.app, 'GET', `/api/v1/generations?limit=2&cursor=${all.data.next_cursor}`, { token: u.token });
    expect(next.data.data.map((g: any) => g.id)).toEqual([ids[0]]);
    expect(next.data.next_cursor).toBeNull();
    const upscales = await call(t.app, 'GET', '/api/v1/generations?type=upscale&status=pending', { token: u.token });
    expect(upscales.data.data).toHaveLength(2);
    const other = await t.user(0);
    expect((await call(t.app, 'GET', `/api/v1/generations/${ids[0]}`, { token: other.token })).statusCode).toBe(404);
    expect((await call(t.app, 'PATCH', `/api/v1/generations/${ids[0]}`, { token: other.token, body: { is_favorited: true } })).statusCode).toBe(404);
    expect((await call(t.app, 'POST', `/api/v1/generations/${ids[0]}/cancel`, { token: other.token })).statusCode).toBe(404);
  });

  it('PATCH sets favourite, rating and notes, and checks the rating', async () => {
    const u = await t.user(5);
    const src = await t.sourceAsset(u.token);
    const id = (await submit(u.token, { type: 'upscale', source_asset_ids: [src] })).data.id;
    const res = await call(t.app, 'PATCH', `/api/v1/generations/${id}`, { token: u.token, body: { is_favorited: true, user_rating: 4, user_notes: 'nice' } });
    expect(res.data).toMatchObject({ is_favorited: true, user_rating: 4, user_notes: 'nice' });
    expect((await call(t.app, 'PATCH', `/api/v1/generations/${id}`, { token: u.token, body: { user_rating: 6 } })).statusCode).toBe(400);
  });

  it('cancels a pending generation at once and releases its hold', async () => {
    const u = await t.user(5);
    const src = await t.sourceAsset(u.token);
    const id = (await submit(u.token, { type: 'upscale', source_asset_ids: [src], num_outputs: 2 })).data.id;
    const res = await call(t.app, 'POST', `/api/v1/generations/${id}/cancel`, { token: u.token });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.status).toBe('cancelled');
    expect(await t.balance(u.id)).toEqual({ available: 5, held: 0 });
    expect((await call(t.app, 'POST', `/api/v1/generations/${id}/cancel`, { token: u.token })).data.status).toBe('cancelled');
    const [usage] = await sqlRows<{ cancelled_generations: number }>(t, `select cancelled_generations from usage_stats where user_id = '${u.id}'`);
    expect(usage!.cancelled_generations).toBe(1);
  });
});

describe('the reconciler', () => {
  it('fails and releases generations left open past their deadline, and only those', async () => {
    const u = await t.user(5);
    const src = await t.sourceAsset(u.token);
    const late = (await submit(u.token, { type: 'upscale', source_asset_ids: [src], num_outputs: 2 }, { 'cancel-after': '60' })).data.id;
    const onTime = (await submit(u.token, { type: 'upscale', source_asset_ids: [src] }, { 'cancel-after': '3600' })).data.id;
    // Stuck while running, as after a worker was killed.
    await sqlRows(t, `update generations set status = 'processing', run_token = gen_random_uuid() where id = '${late}'`);
    t.clock.advance(60_000 + 31_000);
    expect(await reconcileOverdue(t.ctx)).toBe(1);
    expect(await t.get(u.token, late)).toMatchObject({ status: 'failed', error: { code: 'timeout' }, credits_used: 0 });
    expect((await t.get(u.token, onTime)).status).toBe('pending');
    expect(await t.balance(u.id)).toEqual({ available: 4, held: 1 });
    expect(await reconcileOverdue(t.ctx)).toBe(0);
  });
});
