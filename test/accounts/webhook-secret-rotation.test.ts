/**
 * Rotating the webhook secret (issue 16, item 10; decision 102): POST /me/webhook-secret/rotate
 * returns a new secret once; for 24 hours deliveries carry a second `v1,` signature made with the old
 * secret, so a receiver verifying with either accepts them; after that only the new one signs.
 * Real: buildApp(), the database, the secrets and the signing code the webhook job uses, verified
 * here as a Standard Webhooks receiver would. Stand-ins: a manual clock.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookSecretsOf } from '../../src/modules/accounts/index.ts';
import { signatureHeader } from '../../src/modules/generation/webhooks.ts';
import { call, createTestApp, type TestApp } from '../helpers/app.ts';
import { signUp } from '../helpers/accounts.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

/** What a receiver holding `secret` does: accept if any `v1,` entry of the header verifies. */
function verifies(secret: string, header: string, id: string, ts: number, body: string): boolean {
  const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64')).update(`${id}.${ts}.${body}`).digest('base64');
  return header.split(' ').some((entry) => entry === `v1,${expected}`);
}

describe('POST /me/webhook-secret/rotate', () => {
  it('returns a new secret once, signs with both for 24 hours, then with the new one only', async () => {
    const u = await signUp(t.app);
    const before = await call(t.app, 'GET', '/api/v1/me/webhook-secret', { token: u.access_token });
    const old = before.data.secret as string;

    const rotated = await call(t.app, 'POST', '/api/v1/me/webhook-secret/rotate', { token: u.access_token });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const fresh = rotated.data.secret as string;
    expect(fresh).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(fresh).not.toBe(old);
    expect(new Date(rotated.data.previous_valid_until).getTime()).toBe(t.clock.now().getTime() + 24 * 3_600_000);
    expect((await call(t.app, 'GET', '/api/v1/me/webhook-secret', { token: u.access_token })).data.secret).toBe(fresh);

    const body = '{"type":"generation.completed"}';
    const during = signatureHeader(await webhookSecretsOf(t.database.db, u.user.id, t.clock.now()), 'msg_1', 1700000000, body);
    expect(during.split(' ')).toHaveLength(2);
    expect(verifies(old, during, 'msg_1', 1700000000, body)).toBe(true);
    expect(verifies(fresh, during, 'msg_1', 1700000000, body)).toBe(true);

    t.clock.advance(24 * 3_600_000 + 1000);
    const after = signatureHeader(await webhookSecretsOf(t.database.db, u.user.id, t.clock.now()), 'msg_2', 1700000000, body);
    expect(after.split(' ')).toHaveLength(1);
    expect(verifies(fresh, after, 'msg_2', 1700000000, body)).toBe(true);
    expect(verifies(old, after, 'msg_2', 1700000000, body)).toBe(false);
  });

  it('needs a signed-in user', async () => {
    expect((await call(t.app, 'POST', '/api/v1/me/webhook-secret/rotate')).statusCode).toBe(401);
  });
});
