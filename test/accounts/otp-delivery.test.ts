/**
 * One-time codes are issued and delivered by queued jobs (issue 16, item 7; decision 100): the code
 * request answers without waiting for a transport, the same for an unknown account, a failed send
 * is retried with the same code, and the code waits in the job sealed, never in clear.
 * Real: buildApp(), the database, the pg-boss queue and its worker, HMAC'd codes, the sealing.
 * Stand-ins: SMS transports that hang forever or fail once and then hand the message to the outbox;
 * a manual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxSms } from '../../src/platform/mail/outbox.ts';
import type { SmsMessage, SmsSender } from '../../src/platform/sms/sms.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { signUp, uniquePhone } from '../helpers/accounts.ts';

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('one-time codes through the queue, with a transport that hangs', () => {
  const received: SmsMessage[] = [];
  const release: Array<() => void> = [];
  const hanging: SmsSender = {
    send(message) {
      received.push(message);
      return new Promise((resolve) => release.push(() => resolve({ id: 'late' })));
    },
  };
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ sms: hanging });
  });
  afterAll(async () => {
    for (const free of release) free();
    await t?.close();
  });

  it('answers 202 at once for a known and an unknown number alike, and only the known one is sent to', async () => {
    const phone = uniquePhone();
    await signUp(t.app, { phone, email: undefined }, { verified: false });
    const unknownPhone = uniquePhone();
    const known = await call(t.app, 'POST', '/api/v1/auth/otp/request', { body: { phone, purpose: 'login' } });
    const unknown = await call(t.app, 'POST', '/api/v1/auth/otp/request', { body: { phone: unknownPhone, purpose: 'login' } });
    // The transport never answers, so these answers could only come from a route that does not wait for it.
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.data).toEqual(known.data);
    expect(unknown.headers['content-type']).toBe(known.headers['content-type']);
    // Both requests did the same work: one queued request each.
    const queued = await sqlRows<{ phone: string }>(t, `select data->>'phone' as phone from pgboss.job where name = 'accounts.otp-request' and data->>'phone' in ('${phone}', '${unknownPhone}')`);
    expect(queued.map((r) => r.phone).sort()).toEqual([phone, unknownPhone].sort());
    await until(() => received.some((m) => m.to === phone), 'the send to the known number');
    expect(received.filter((m) => m.to === unknownPhone)).toEqual([]);
  });
});

describe('one-time codes through the queue, with a transport that fails once', () => {
  const attempts: SmsMessage[] = [];
  let t: TestApp;
  beforeAll(async () => {
    const holder: { outbox?: SmsSender } = {};
    const flaky: SmsSender = {
      async send(message) {
        attempts.push(message);
        if (attempts.length === 1) throw new Error('SMS gateway unavailable');
        return holder.outbox!.send(message);
      },
    };
    t = await createTestApp({ sms: flaky });
    holder.outbox = createOutboxSms(t.database.db);
  });
  afterAll(async () => t?.close());

  it('retries the send with the same code, which waits sealed in the job and signs in', async () => {
    const phone = uniquePhone();
    await signUp(t.app, { phone, email: undefined }, { verified: false });
    expect((await call(t.app, 'POST', '/api/v1/auth/otp/request', { body: { phone, purpose: 'login' } })).statusCode).toBe(202);
    await until(() => attempts.length >= 1, 'the first send');
    // Between the tries the code waits in the delivery job, sealed: the job's data never holds it.
    const [otp] = await sqlRows<{ id: string }>(t, `select id from otps where destination = '${phone}'`);
    const jobs = await sqlRows<{ data: unknown }>(t, `select data from pgboss.job where name like 'accounts.otp-%' and (data->>'phone' = '${phone}' or data->>'otp_id' = '${otp!.id}')`);
    expect(jobs).toHaveLength(2);
    expect(JSON.stringify(jobs)).not.toContain(attempts[0]!.code);
    await until(() => attempts.length >= 2, 'the retried send', 60_000);
    expect(attempts[1]!.code).toBe(attempts[0]!.code);
    const verified = await call(t.app, 'POST', '/api/v1/auth/otp/verify', { body: { phone, purpose: 'login', code: attempts[1]!.code } });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.data.access_token).toBeTruthy();
  }, 90_000);
});
