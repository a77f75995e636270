/**
 * Webhook URLs under the production policy (ATELIER_WEBHOOKS_ALLOW_PRIVATE=off): refused at submit
 * when they point at private, local or reserved addresses, and refused at delivery — recorded,
 * not retried — when a public-looking name resolves to one. Real: app, database, submit
 * transaction, the webhook delivery handler and its delivery records. Stand-ins: the image provider
 * (never run here), the name resolver given to the handler (maps a name to a private address, so no
 * DNS is needed).
 */
import type { lookup } from 'node:dns';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { webhookHandler } from '../../src/modules/generation/webhooks.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { call, sqlRows } from '../helpers/app.ts';
import { createGenerationTestApp, type GenerationTestApp } from '../helpers/generation.ts';
import { createStandInProvider } from '../helpers/stand-in-provider.ts';

let t: GenerationTestApp;
const standIn = createStandInProvider();
beforeAll(async () => {
  t = await createGenerationTestApp({ env: { ATELIER_WEBHOOKS_ALLOW_PRIVATE: 'off' }, generation: { providers: [standIn.provider] } });
});
afterEach(async () => t.invariants());
afterAll(async () => t?.close());

const balance = async (userId: string) => (await sqlRows<{ available: number; held: number }>(t, `select available, held from credit_balances where user_id = '${userId}'`))[0];

describe('POST /generations webhook_url', () => {
  it.each(['http://127.0.0.1:9/hook', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/', 'http://2130706433/', 'http://localhost:3000/', 'http://intranet/hook'])(
    'refuses %s with 400 and creates nothing',
    async (url) => {
      const u = await t.user(5);
      const src = await t.sourceAsset(u.token);
      const before = await balance(u.id);
      const res = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'upscale', source_asset_ids: [src], webhook_url: url } });
      expect(res.statusCode).toBe(400);
      expect(res.data).toMatchObject({ code: 'validation_failed', errors: [{ path: 'webhook_url' }] });
      expect(await sqlRows(t, `select id from generations where user_id = '${u.id}'`)).toEqual([]);
      expect(await balance(u.id)).toEqual(before);
    },
  );

  it('accepts a public host name', async () => {
    const u = await t.user(5);
    const src = await t.sourceAsset(u.token);
    const res = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'upscale', source_asset_ids: [src], webhook_url: 'https://hooks.example.com/atelier' } });
    expect(res.statusCode).toBe(202);
    expect(res.data.webhook_url).toBe('https://hooks.example.com/atelier');
  });
});

describe('webhook delivery', () => {
  it('refuses a name that resolves to a private address: recorded as failed, not retried', async () => {
    const u = await t.user(5);
    const src = await t.sourceAsset(u.token);
    const created = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'upscale', source_asset_ids: [src], webhook_url: 'http://rebind.example.com/hook' } });
    expect(created.statusCode).toBe(202);
    const resolve = ((_h: string, _o: unknown, cb: (e: null, a: { address: string; family: number }[]) => void) => cb(null, [{ address: '10.0.0.7', family: 4 }])) as unknown as typeof lookup;
    const handler = webhookHandler({ db: t.database.db, clock: t.clock, policy: t.config.webhooks, resolve });
    const job = { message_id: 'msg_test_rebind', user_id: u.id, generation_id: created.data.id, event: 'generation.started', url: 'http://rebind.example.com/hook', body: '{}' };
    // Resolves instead of throwing: a throw would make pg-boss retry it.
    await handler.handle(job, { jobId: 'j1', retryCount: 0, retryLimit: 8, signal: new AbortController().signal, log: createLogger('silent') });
    const rows = await sqlRows<{ status: string; error: string; http_status: number | null }>(t, `select status, error, http_status from webhook_deliveries where message_id = 'msg_test_rebind'`);
    expect(rows).toEqual([{ status: 'failed', error: 'rebind.example.com resolves to a non-public address', http_status: null }]);
    // The record is the user's to read (their export): it must not map internal names to addresses.
    expect(rows[0]!.error).not.toContain('10.0.0.7');
  });
});
