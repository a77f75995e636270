/**
 * Emails raised inside a generation's settlement (decision 059): `training_ready` when a subject's
 * training makes it ready; `low_balance` when a spend leaves fewer credits available than
 * ATELIER_LOW_BALANCE_CREDITS — at most once a day, never for a user who turned the notice off.
 * Both are queued in the settlement's transaction and sent by the notifications worker.
 * Real: app, database (PGlite or PostgreSQL via TEST_DATABASE_URL), pg-boss and every worker in
 * this process, the engine's settlement, the ledger, preferences, templates, sender and email log.
 * Stand-ins: the image provider (a scripted trainer answering like the external adapters); the
 * outbox transport; "a day later" is the earlier notice's log row moved back a day by SQL.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ImageProvider } from '../../src/modules/generation/providers/provider.ts';
import { call, sqlRows } from '../helpers/app.ts';
import { createGenerationTestApp, type GenerationTestApp } from '../helpers/generation.ts';

const trainer: ImageProvider = {
  id: 'local',
  supports: () => true,
  async run(input) {
    return { outputs: [], model: 'trainer-1', costMicros: 0, artifacts: { provider: 'stand-in', trained_model: `owner/lora:${input.generationId.slice(0, 8)}`, trigger_word: 'atlxyz' } };
  },
};

let t: GenerationTestApp;
beforeAll(async () => {
  // A training costs 5 credits; below 20 is low here.
  t = await createGenerationTestApp({ env: { ATELIER_LOW_BALANCE_CREDITS: '20' }, generation: { providers: [trainer] } });
  await t.startWorkers();
});
afterEach(async () => t.invariants());
afterAll(async () => t?.close());

const emailOf = async (userId: string) => (await sqlRows<{ email: string }>(t, `select email from users where id = '${userId}'`))[0]!.email;
const logs = async (userId: string, key: string) =>
  sqlRows<{ status: string }>(t, `select l.status from email_logs l join users u on u.email = l."to" where u.id = '${userId}' and l.template_key = '${key}'`);
/** Waits until every system-email job about the user has been worked off. */
async function settled(userId: string, jobs: number) {
  for (let i = 0; i < 400; i++) {
    const rows = await sqlRows<{ state: string }>(t, `select state from pgboss.job where name = 'notifications.system-email' and data->>'user_id' = '${userId}'`);
    if (rows.length >= jobs && rows.every((r) => r.state === 'completed')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`system emails of ${userId} not worked off`);
}
async function train(u: { token: string }, name: string) {
  const res = await call(t.app, 'POST', '/api/v1/subjects', { token: u.token, body: { name, gender: 'female', image_asset_ids: [await t.sourceAsset(u.token)] } });
  expect(res.statusCode, res.body).toBe(202);
  for (let i = 0; i < 400; i++) {
    const s = (await call(t.app, 'GET', `/api/v1/subjects/${res.data.id}`, { token: u.token })).data;
    if (s.status !== 'training') return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('training did not end');
}

describe('training_ready and low_balance', () => {
  it('tells the owner the subject is ready, and that credits run low at most once a day', async () => {
    const u = await t.user(30);
    expect((await train(u, 'Ana')).status).toBe('ready');
    // 25 left: ready, not low.
    await settled(u.id, 1);
    expect(await logs(u.id, 'training_ready')).toEqual([{ status: 'sent' }]);
    expect(await logs(u.id, 'low_balance')).toEqual([]);
    const [mail] = await sqlRows<{ subject: string }>(t, `select subject from outbox_messages where "to" = '${await emailOf(u.id)}' order by created_at desc limit 1`);
    expect(mail!.subject).toBe('Ana is ready');

    await train(u, 'Bo'); // 20 left: not below 20
    await train(u, 'Cy'); // 15 left: low
    await train(u, 'Di'); // 10 left: low again, the same day
    await settled(u.id, 6);
    expect(await logs(u.id, 'low_balance')).toEqual([{ status: 'sent' }]);
    expect(await logs(u.id, 'training_ready')).toHaveLength(4);

    // A day on (the notice's log row moved back a day, so the signed-in session stays valid).
    await sqlRows(t, `update email_logs set created_at = created_at - interval '25 hours' where template_key = 'low_balance' and "to" = '${await emailOf(u.id)}'`);
    await train(u, 'Ed'); // 5 left, a day after the notice: told again
    await settled(u.id, 8);
    expect(await logs(u.id, 'low_balance')).toHaveLength(2);
  });

  it('sends no low_balance notice to a user who turned it off', async () => {
    const u = await t.user(10);
    const off = await call(t.app, 'PATCH', '/api/v1/me/preferences', { token: u.token, body: { notifications: { low_balance: false } } });
    expect(off.statusCode, off.body).toBe(200);
    await train(u, 'Fay'); // 5 left
    await settled(u.id, 2);
    expect(await logs(u.id, 'low_balance')).toEqual([]);
    expect(await logs(u.id, 'training_ready')).toEqual([{ status: 'sent' }]);
  });
});
