/**
 * Admin endpoints of the engine: all generations with filters, retrying a failed one with a new
 * hold, CRUD of generation prices and provider costs, each write audit-logged.
 * Real: app, database (PGlite or PostgreSQL), queue and in-process workers, ledger, roles, audit
 * rows. Stand-ins: the image provider (test/helpers/stand-in-provider.ts); the admin is a signed-up
 * user promoted by SQL.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, sqlRows } from '../helpers/app.ts';
import { signUpAdmin } from '../helpers/accounts.ts';
import { createGenerationTestApp, final, type GenerationTestApp } from '../helpers/generation.ts';
import { createStandInProvider } from '../helpers/stand-in-provider.ts';

let t: GenerationTestApp;
let admin: string;
const standIn = createStandInProvider();
beforeAll(async () => {
  t = await createGenerationTestApp({ env: { ATELIER_GENERATION_RETRIES: '0' }, generation: { providers: [standIn.provider] } });
  const a = await signUpAdmin(t);
  admin = a.access_token;
  await t.startWorkers();
});
afterEach(async () => {
  standIn.reset();
  await t.invariants();
});
afterAll(async () => t?.close());

const audits = (action: string) => sqlRows<{ target_id: string }>(t, `select target_id from audit_logs where action = '${action}'`);

describe('admin generations', () => {
  it('lists everyone’s generations with filters and retries a failed one with a new hold', async () => {
    const u = await t.user(5);
    const src = await t.sourceAsset(u.token);
    standIn.script({ kind: 'fail', retryable: false, message: 'broken' });
    const id = (await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'upscale', source_asset_ids: [src], num_outputs: 2 } })).data.id;
    await t.until(u.token, id, final);
    expect(await t.balance(u.id)).toEqual({ available: 5, held: 0 });

    const forbidden = await call(t.app, 'GET', '/api/v1/admin/generations', { token: u.token });
    expect(forbidden.statusCode).toBe(403);
    const list = await call(t.app, 'GET', `/api/v1/admin/generations?user_id=${u.id}&status=failed`, { token: admin });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.data.data.map((g: any) => g.id)).toEqual([id]);
    expect(list.data.data[0]).toMatchObject({ user_id: u.id, error_code: 'provider_error' });

    standIn.script({ kind: 'ok' });
    const retried = await call(t.app, 'POST', `/api/v1/admin/generations/${id}/retry`, { token: admin });
    expect(retried.statusCode, retried.body).toBe(202);
    expect(retried.data).toMatchObject({ status: 'pending', error: null });
    const done = await t.until(u.token, id, final);
    expect(done).toMatchObject({ status: 'completed', credits_used: 2 });
    expect(await t.balance(u.id)).toEqual({ available: 3, held: 0 });
    expect((await call(t.app, 'POST', `/api/v1/admin/generations/${id}/retry`, { token: admin })).statusCode).toBe(409);
    expect(await audits('generation.retry')).toEqual([{ target_id: id }]);
  });
});

describe('admin prices and costs', () => {
  it('changes a price (new submissions pay it), refuses a duplicate, deletes (type no longer offered)', async () => {
    const prices = await call(t.app, 'GET', '/api/v1/admin/generation-prices', { token: admin });
    expect(prices.data.data).toHaveLength(11);
    const vectorize = prices.data.data.find((p: any) => p.type === 'vectorize');
    const patched = await call(t.app, 'PATCH', `/api/v1/admin/generation-prices/${vectorize.id}`, { token: admin, body: { credits_per_output: 3 } });
    expect(patched.data).toMatchObject({ type: 'vectorize', credits_per_output: 3, is_active: true });
    const types = await call(t.app, 'GET', '/api/v1/generation-types');
    expect(types.data.find((x: any) => x.type === 'vectorize').credits_per_output).toBe(3);

    const u = await t.user(10);
    const src = await t.sourceAsset(u.token);
    standIn.script({ kind: 'hang' });
    const g = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'vectorize', source_asset_ids: [src], num_outputs: 2 } });
    expect(g.data.credits_reserved).toBe(6);
    await call(t.app, 'POST', `/api/v1/generations/${g.data.id}/cancel`, { token: u.token });

    expect((await call(t.app, 'POST', '/api/v1/admin/generation-prices', { token: admin, body: { type: 'vectorize', credits_per_output: 1 } })).statusCode).toBe(409);
    const removed = await call(t.app, 'DELETE', `/api/v1/admin/generation-prices/${vectorize.id}`, { token: admin });
    expect(removed.statusCode).toBe(200);
    const refused = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'vectorize', source_asset_ids: [src] } });
    expect(refused.statusCode).toBe(400);
    const created = await call(t.app, 'POST', '/api/v1/admin/generation-prices', { token: admin, body: { type: 'vectorize', credits_per_output: 1 } });
    expect(created.statusCode).toBe(201);
    expect(await audits('generation.price.update')).toEqual([{ target_id: vectorize.id }]);
    expect(await audits('generation.price.delete')).toHaveLength(1);
    expect(await audits('generation.price.create')).toHaveLength(1);
  });

  it('records provider costs; a run of a provider reporting no cost is costed from the table', async () => {
    const bad = await call(t.app, 'POST', '/api/v1/admin/api-costs', { token: admin, body: { provider: 'nobody', operation_type: 'upscale', cost_per_operation_micros: 1, effective_date: '2020-01-01' } });
    expect(bad.statusCode).toBe(400);
    const today = t.clock.now().toISOString().slice(0, 10);
    const created = await call(t.app, 'POST', '/api/v1/admin/api-costs', {
      token: admin,
      body: { provider: 'local', operation_type: 'background_removal', cost_per_operation_micros: 2500, effective_date: today },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.data).toMatchObject({ currency: 'USD', is_active: true, model: null });
    const patched = await call(t.app, 'PATCH', `/api/v1/admin/api-costs/${created.data.id}`, { token: admin, body: { cost_per_operation_micros: 3000 } });
    expect(patched.data.cost_per_operation_micros).toBe(3000);

    const u = await t.user(5);
    const src = await t.sourceAsset(u.token);
    standIn.script({ kind: 'ok' });
    const id = (await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'background_removal', source_asset_ids: [src], num_outputs: 2 } })).data.id;
    await t.until(u.token, id, final);
    const [row] = await sqlRows<{ api_cost_micros: string }>(t, `select api_cost_micros from generations where id = '${id}'`);
    expect(Number(row!.api_cost_micros)).toBe(6000);
    const list = await call(t.app, 'GET', '/api/v1/admin/api-costs', { token: admin });
    expect(list.data.data).toHaveLength(1);
    expect((await call(t.app, 'DELETE', `/api/v1/admin/api-costs/${created.data.id}`, { token: admin })).statusCode).toBe(200);
    expect(await audits('generation.api_cost.create')).toHaveLength(1);
    expect(await audits('generation.api_cost.update')).toHaveLength(1);
    expect(await audits('generation.api_cost.delete')).toHaveLength(1);
  });
});
