/**
 * POST /email/webhooks/sendgrid: SendGrid's signed Event Webhook moves email logs forward only —
 * out-of-order and repeated events change nothing — and an `unsubscribe` event turns marketing mail
 * off; a missing or bad signature is a 400 that writes nothing.
 * Real: app, database (PGlite or PostgreSQL via TEST_DATABASE_URL), ECDSA P-256 verification over
 * timestamp + raw body. Stand-ins: a key pair generated here signs the events as SendGrid would; mail
 * goes to the outbox (its log rows are what the events name); a manual clock.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { signUp, signUpAdmin } from '../helpers/accounts.ts';

const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await createTestApp({ env: { SENDGRID_WEBHOOK_PUBLIC_KEY: publicKey.export({ format: 'der', type: 'spki' }).toString('base64') } });
  admin = (await signUpAdmin(t)).access_token;
});
afterAll(async () => t?.close());

function post(events: unknown[], opts: { key?: typeof privateKey; tamper?: boolean; noSignature?: boolean } = {}) {
  const body = JSON.stringify(events);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = sign('sha256', Buffer.from(timestamp + body), opts.key ?? privateKey).toString('base64');
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/email/webhooks/sendgrid',
    payload: opts.tamper ? body.replace('delivered', 'clicked') : body,
    headers: {
      'content-type': 'application/json',
      ...(opts.noSignature ? {} : { 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': timestamp }),
    },
  });
}

const logOf = async (to: string) => (await call(t.app, 'GET', `/api/v1/admin/email-logs?to=${encodeURIComponent(to)}`, { token: admin })).data.data[0];
const event = (log: { id: string; provider_message_id: string }, name: string, extra: Record<string, unknown> = {}) => ({
  email: 'x@example.com',
  timestamp: 1_700_000_000,
  event: name,
  sg_event_id: `${name}-${log.id}`,
  sg_message_id: `${log.provider_message_id}.filter0001.1.0`,
  email_log_id: log.id,
  ...extra,
});

describe('POST /email/webhooks/sendgrid', () => {
  it('moves a log forward, never back, and applies a repeated event once', async () => {
    const u = await signUp(t.app);
    const log = await logOf(u.email!);
    expect(log.status).toBe('sent');

    const first = await post([event(log, 'processed'), event(log, 'delivered'), event(log, 'open')]);
    expect(first.statusCode, first.body).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ received: 3, applied: 2 });
    expect((await logOf(u.email!)).status).toBe('opened');

    // Late and repeated: nothing moves.
    const late = await post([event(log, 'delivered'), event(log, 'open'), event(log, 'open')]);
    expect(JSON.parse(late.body)).toEqual({ received: 3, applied: 0 });
    expect((await logOf(u.email!)).status).toBe('opened');

    // Found by sg_message_id alone too (events of mail sent before the log id was passed along).
    const { email_log_id: _omit, ...byMessageId } = event(log, 'click');
    expect(JSON.parse((await post([byMessageId])).body)).toEqual({ received: 1, applied: 1 });
    expect((await logOf(u.email!)).status).toBe('clicked');
  });

  it('maps bounce and spamreport, and an unsubscribe event turns marketing mail off', async () => {
    const [a, b] = [await signUp(t.app), await signUp(t.app)];
    await call(t.app, 'PATCH', '/api/v1/me/preferences', { token: b.access_token, body: { marketing_emails: true } });
    const [la, lb] = [await logOf(a.email!), await logOf(b.email!)];
    const res = await post([event(la, 'bounce', { type: 'bounce' }), event(lb, 'spamreport'), event(lb, 'unsubscribe')]);
    expect(res.statusCode, res.body).toBe(200);
    expect((await logOf(a.email!)).status).toBe('bounced');
    expect((await logOf(b.email!)).status).toBe('complained');
    expect((await call(t.app, 'GET', '/api/v1/me/preferences', { token: b.access_token })).data.marketing_emails).toBe(false);
  });

  it.each([
    ['a signature by another key', { key: other.privateKey }],
    ['a body changed after signing', { tamper: true }],
    ['no signature', { noSignature: true }],
  ])('refuses %s with 400 and changes nothing', async (_name, opts) => {
    const u = await signUp(t.app);
    const log = await logOf(u.email!);
    const before = await sqlRows(t, `select status, updated_at from email_logs where id = '${log.id}'`);
    const res = await post([event(log, 'delivered')], opts);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(await sqlRows(t, `select status, updated_at from email_logs where id = '${log.id}'`)).toEqual(before);
  });

  it('refuses a signed body that is not an event array with 400', async () => {
    const res = await post({ not: 'an array' } as unknown as unknown[]);
    expect(res.statusCode).toBe(400);
  });
});
