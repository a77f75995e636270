/**
 * A gift card's code is emailed by a queued, retried job (issue 16, item 10; decision 108): a mail
 * server that is down when the card is issued no longer loses the card (only its hash is stored),
 * the code waits in the job sealed, never in clear, and a card redeemed or disabled before its email
 * leaves is not sent.
 * Real: buildApp(), the database, the pg-boss queue and its worker, the sealing, checkout through
 * the `manual` provider, the admin API, redemption.
 * Stand-ins: a mail transport that refuses mail to chosen recipients (otherwise the outbox); the
 * queue's retry delay is cut short by moving the retried job's start time to now.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mailer, MailMessage } from '../../src/platform/mail/mailer.ts';
import { createOutboxMailer } from '../../src/platform/mail/outbox.ts';
import { call, codesSent, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { signUp, signUpAdmin, uniqueEmail } from '../helpers/accounts.ts';

let t: TestApp;
const refused = new Set<string>();
const attempts: string[] = [];

beforeAll(async () => {
  const holder: { outbox?: Mailer } = {};
  const flaky: Mailer = {
    async send(message: MailMessage) {
      attempts.push(message.to);
      if (refused.has(message.to)) throw new Error('SMTP: 421 service not available');
      return holder.outbox!.send(message);
    },
  };
  t = await createTestApp({ mailer: flaky, env: { ATELIER_PAYMENTS_MANUAL: 'on' } });
  holder.outbox = createOutboxMailer(t.database.db);
});
afterAll(async () => t?.close());

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const deliveryJobs = (cardIds: string[]) =>
  sqlRows<{ state: string; data: unknown }>(t, `select state, data from pgboss.job where name = 'billing.gift-card-deliver' and data->>'gift_card_id' in (${cardIds.map((id) => `'${id}'`).join(', ')})`);

/** Waits until the card's first send has failed, then lets the retry run now instead of in 30 s. */
async function failedOnceThenRetryNow(cardId: string) {
  await until(async () => (await deliveryJobs([cardId]))[0]?.state === 'retry', 'the failed send to be scheduled for a retry');
  await sqlRows(t, `update pgboss.job set start_after = now() where name = 'billing.gift-card-deliver' and data->>'gift_card_id' = '${cardId}'`);
}

const outbox = async (to: string) => (await call(t.app, 'GET', `/api/v1/dev/outbox?to=${encodeURIComponent(to)}`)).data.data as Array<{ code: string; body: string }>;

describe('gift-card emails through the queue', () => {
  it('a bought card whose first email fails is sent again with the same code, which redeems; the job never holds it in clear', async () => {
    const buyer = await signUp(t.app);
    const recipient = uniqueEmail('gift-retry');
    refused.add(recipient);
    const pro = (await call(t.app, 'GET', '/api/v1/billing/packages')).data.data.find((p: { name: string }) => p.name === 'Pro');
    const checkout = await call(t.app, 'POST', '/api/v1/billing/checkout', { token: buyer.access_token, body: { gift_card: { package_id: pro.id, recipient_email: recipient }, provider: 'manual' } });
    expect(checkout.statusCode, checkout.body).toBe(201);
    const paid = await call(t.app, 'POST', `/api/v1/billing/manual/${checkout.data.payment.id}/complete`, { token: buyer.access_token });
    expect(paid.statusCode, paid.body).toBe(200);
    const [card] = await sqlRows<{ id: string }>(t, `select id from gift_cards where payment_id = '${checkout.data.payment.id}'`);

    await failedOnceThenRetryNow(card!.id);
    expect(await outbox(recipient)).toEqual([]);
    refused.delete(recipient);
    await codesSent(t.app);

    const mail = await outbox(recipient);
    expect(mail).toHaveLength(1);
    expect(attempts.filter((to) => to === recipient)).toHaveLength(2);
    const code = mail[0]!.code;
    expect(mail[0]!.body).toContain(code);
    const [job] = await deliveryJobs([card!.id]);
    expect(JSON.stringify(job!.data)).not.toContain(code.replaceAll('-', '').slice(0, 8));
    expect(JSON.stringify(job!.data)).not.toContain(code.slice(0, 9));

    const u = await signUp(t.app);
    const redeemed = await call(t.app, 'POST', '/api/v1/billing/gift-cards/redeem', { token: u.access_token, body: { code } });
    expect(redeemed.statusCode, redeemed.body).toBe(200);
    expect(redeemed.data.credits_awarded).toBe(50);
  });

  it('a card redeemed or disabled before its email could leave is not sent', async () => {
    const admin = await signUpAdmin(t);
    const u = await signUp(t.app); // before the sends fail: sign-up waits for every code job to be done
    const [usedTo, offTo] = [uniqueEmail('gift-used'), uniqueEmail('gift-off')];
    refused.add(usedTo);
    refused.add(offTo);
    const issue = (to: string) => call(t.app, 'POST', '/api/v1/admin/gift-cards', { token: admin.access_token, body: { credits: 9, recipient_email: to } });
    const [used, off] = await Promise.all([issue(usedTo), issue(offTo)]);
    expect([used.statusCode, off.statusCode]).toEqual([201, 201]);
    await failedOnceThenRetryNow(used.data.id);
    await failedOnceThenRetryNow(off.data.id);

    expect((await call(t.app, 'POST', '/api/v1/billing/gift-cards/redeem', { token: u.access_token, body: { code: used.data.code } })).statusCode).toBe(200);
    expect((await call(t.app, 'PATCH', `/api/v1/admin/gift-cards/${off.data.id}`, { token: admin.access_token, body: { is_active: false } })).statusCode).toBe(200);
    refused.clear();
    await sqlRows(t, `update pgboss.job set start_after = now() where name = 'billing.gift-card-deliver' and state = 'retry'`);
    await codesSent(t.app);

    expect(await outbox(usedTo)).toEqual([]);
    expect(await outbox(offTo)).toEqual([]);
    expect((await deliveryJobs([used.data.id, off.data.id])).map((j) => j.state)).toEqual(['completed', 'completed']);
  });
});
