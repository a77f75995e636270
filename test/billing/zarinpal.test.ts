/**
 * Paying through ZarinPal: checkout, the buyer's return to the callback, verify, fulfilment.
 * Real: app, database, auth, checkout's transaction, the gateway's HTTP client, the ledger,
 * subscriptions, gift cards and the outbox mailer, parallel requests. Stand-in: ZarinPal itself,
 * a local node:http server speaking its v4 REST protocol (test/helpers/zarinpal.ts); the buyer's
 * payment at StartPay is played by `stand.pay(authority)`; a manual clock.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkCreditInvariants } from '../../src/modules/billing/index.ts';
import { createZarinpalGateway, rialsFromMinor, zarinpalMobile } from '../../src/modules/billing/gateways/zarinpal.ts';
import { isAppError } from '../../src/platform/http/errors.ts';
import { call, codesSent, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { countRows, signUp, uniqueEmail, uniquePhone } from '../helpers/accounts.ts';
import { startZarinpalStandIn, type ZarinpalStandIn } from '../helpers/zarinpal.ts';

const PUBLIC_URL = 'https://atelier.example';
const CALLBACK = `${PUBLIC_URL}/api/v1/billing/zarinpal/callback`;

let t: TestApp;
let stand: ZarinpalStandIn;
let rialPack: string;
let plans: Record<string, { id: string; amount_minor: number; credits_per_period: number }>;
let usdPack: string;

beforeAll(async () => {
  stand = await startZarinpalStandIn();
  t = await createTestApp({ env: { ZARINPAL_MERCHANT_ID: stand.merchantId, ZARINPAL_API_BASE: stand.url, ATELIER_PUBLIC_URL: PUBLIC_URL, ATELIER_RETURN_URL_ORIGINS: 'https://shop.example' } });
  // 250,000 rials, stored with ISO 4217's two minor digits.
  [{ id: rialPack }] = (await sqlRows<{ id: string }>(t, `insert into credit_packages (name, credits, amount_minor, currency) values ('Rial pack', 30, 25000000, 'IRR') returning id`)) as [{ id: string }];
  plans = Object.fromEntries((await call(t.app, 'GET', '/api/v1/billing/plans')).data.data.map((p: { name: string }) => [p.name, p]));
  usdPack = (await call(t.app, 'GET', '/api/v1/billing/packages')).data.data.find((p: { name: string }) => p.name === 'Pro').id;
});
beforeEach(() => {
  stand.mode = 'normal';
});
afterEach(async () => {
  expect(await checkCreditInvariants(t.database.db)).toEqual([]);
});
afterAll(async () => {
  await t?.close();
  await stand?.close();
});

const checkout = (token: string, body: Record<string, unknown>) => call(t.app, 'POST', '/api/v1/billing/checkout', { token, body: { provider: 'zarinpal', ...body } });
const callback = (authority: string, status = 'OK') => call(t.app, 'GET', `/api/v1/billing/zarinpal/callback?Authority=${encodeURIComponent(authority)}&Status=${status}`);
const credits = async (token: string) => (await call(t.app, 'GET', '/api/v1/credits', { token })).data;
const paymentRow = async (id: string) =>
  (await sqlRows<{ status: string; provider_payment_id: string; provider_reference: string | null; gateway_card_pan: string | null; callback_url: string | null; failure_reason: string | null }>(t, `select * from payments where id = '${id}'`))[0]!;
const grants = (paymentId: string) => countRows(t, `select count(*) as n from credit_transactions where idempotency_key = 'payment:${paymentId}'`);
const verifies = (authority: string) => stand.requests.filter((r) => r.path === '/pg/v4/payment/verify.json' && r.body.authority === authority).length;

/** A signed-up buyer with a pending ZarinPal payment for the rial pack. */
async function pendingPurchase(body: Record<string, unknown> = { package_id: rialPack }) {
  const u = await signUp(t.app);
  const res = await checkout(u.access_token, body);
  expect(res.statusCode, res.body).toBe(201);
  const authority = (await paymentRow(res.data.payment.id)).provider_payment_id;
  return { u, payment: res.data.payment as { id: string; amount_minor: number }, authority, redirect: res.data.redirect_url as string };
}

describe('checkout through ZarinPal', () => {
  it('requests a payment in whole rials and sends the buyer to StartPay with the authority', async () => {
    const phone = uniquePhone();
    const u = await signUp(t.app, { email: uniqueEmail(), phone });
    const res = await checkout(u.access_token, { package_id: rialPack, return_url: 'https://shop.example/done?from=zp' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.payment).toMatchObject({ status: 'pending', provider: 'zarinpal', amount_minor: 25000000, currency: 'IRR', credits: 30 });
    const sent = stand.requests.filter((r) => r.path === '/pg/v4/payment/request.json').at(-1)!.body;
    expect(sent).toEqual({
      merchant_id: stand.merchantId,
      amount: 250000, // rials: the stored 25000000 carries two minor digits
      currency: 'IRR',
      description: 'Rial pack credit package',
      callback_url: CALLBACK,
      metadata: { email: u.email, mobile: `0${phone.slice(3)}`, order_id: res.data.payment.id },
    });
    const row = await paymentRow(res.data.payment.id);
    expect(row.provider_payment_id).toMatch(/^A\d{35}$/);
    expect(row.callback_url).toBe(CALLBACK);
    expect(res.data.redirect_url).toBe(`${stand.url}/pg/StartPay/${row.provider_payment_id}`);
    expect((await credits(u.access_token)).available).toBe(2);
  });

  it('refuses items not priced in IRR, fractions of a rial and amounts under ZarinPal’s minimum with 400, asking ZarinPal nothing', async () => {
    const [{ id: fraction }] = (await sqlRows<{ id: string }>(t, `insert into credit_packages (name, credits, amount_minor, currency) values ('Odd rials', 5, 2500050, 'IRR') returning id`)) as [{ id: string }];
    const [{ id: tiny }] = (await sqlRows<{ id: string }>(t, `insert into credit_packages (name, credits, amount_minor, currency) values ('Tiny rials', 1, 500000, 'IRR') returning id`)) as [{ id: string }];
    const u = await signUp(t.app);
    const before = stand.requests.length;
    for (const packageId of [usdPack, fraction, tiny]) {
      const res = await checkout(u.access_token, { package_id: packageId });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.data.code).toBe('validation_failed');
      expect(res.data.errors[0].path).toBe('provider');
    }
    expect(stand.requests.length).toBe(before);
    expect(await countRows(t, `select count(*) as n from payments where user_id = '${u.user.id}'`)).toBe(0);
  });

  it('answers 502 payment_provider_error and leaves no pending payment when ZarinPal is down, refuses or answers garbage', async () => {
    const u = await signUp(t.app);
    for (const mode of ['down', 'refuse', 'html'] as const) {
      stand.mode = mode;
      const res = await checkout(u.access_token, { package_id: rialPack });
      expect(res.statusCode, `${mode}: ${res.body}`).toBe(502);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.data.code).toBe('payment_provider_error');
    }
    // Each attempt stays on the books as failed; none is left pending.
    expect(await countRows(t, `select count(*) as n from payments where user_id = '${u.user.id}' and status = 'pending'`)).toBe(0);
    expect(await countRows(t, `select count(*) as n from payments where user_id = '${u.user.id}' and status = 'failed'`)).toBe(3);
    // A 502 is not stored under the Idempotency-Key: the same request may be retried.
    const keyed = () => call(t.app, 'POST', '/api/v1/billing/checkout', { token: u.access_token, body: { provider: 'zarinpal', package_id: rialPack }, headers: { 'idempotency-key': 'zp-retry' } });
    stand.mode = 'down';
    expect((await keyed()).statusCode).toBe(502);
    stand.mode = 'normal';
    const retried = await keyed();
    expect(retried.statusCode, retried.body).toBe(201);
    expect(await countRows(t, `select count(*) as n from payments where user_id = '${u.user.id}' and status = 'pending'`)).toBe(1);
  });
});

describe('GET /billing/zarinpal/callback', () => {
  it('Status=OK: verifies with the amount from our records, completes, grants once and redirects back', async () => {
    const { u, payment, authority } = await pendingPurchase({ package_id: rialPack, return_url: 'https://shop.example/done?from=zp' });
    stand.pay(authority);
    const res = await callback(authority);
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe(`https://shop.example/done?from=zp&payment=${payment.id}&status=completed`);
    const verify = stand.requests.filter((r) => r.path === '/pg/v4/payment/verify.json' && r.body.authority === authority);
    expect(verify.map((r) => r.body)).toEqual([{ merchant_id: stand.merchantId, amount: 250000, authority }]);
    const row = await paymentRow(payment.id);
    expect(row).toMatchObject({ status: 'completed', provider_reference: String(stand.transactions.get(authority)!.refId), gateway_card_pan: '502229******5995' });
    expect(await credits(u.access_token)).toMatchObject({ available: 32, total_purchased: 30 });
    expect(await grants(payment.id)).toBe(1);
    // The receipt names the amount ZarinPal verified (minor units hold two digits, IRR too: decision 008).
    const [receipt] = await sqlRows<{ body: string }>(t, `select body from outbox_messages where "to" = '${u.email}' and subject like '%receipt%' order by created_at desc limit 1`);
    expect(receipt!.body).toContain('250000 IRR');
  });

  it('Status=NOK for an unpaid payment: ZarinPal says unpaid, the payment is cancelled and nothing granted; a later OK changes nothing', async () => {
    const { u, payment, authority } = await pendingPurchase();
    const res = await callback(authority, 'NOK');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${PUBLIC_URL}/billing?payment=${payment.id}&status=cancelled`);
    expect((await paymentRow(payment.id)).status).toBe('cancelled');
    stand.pay(authority); // even if the buyer then pays, an unverified payment goes back to them
    expect((await callback(authority, 'OK')).headers.location).toContain('status=cancelled');
    expect(verifies(authority)).toBe(1);
    expect((await credits(u.access_token)).available).toBe(2);
    expect(await grants(payment.id)).toBe(0);
  });

  it('Status=NOK for a payment ZarinPal took (a NOK racing the OK) completes it: a paid payment is never cancelled', async () => {
    const { u, payment, authority } = await pendingPurchase();
    stand.pay(authority);
    const answers = await Promise.all([callback(authority, 'NOK'), callback(authority, 'OK')]);
    for (const res of answers) expect(res.headers.location).toContain('status=completed');
    expect((await paymentRow(payment.id)).status).toBe('completed');
    expect((await credits(u.access_token)).available).toBe(32);
    expect(await grants(payment.id)).toBe(1);
    // Alone, too: the NOK is checked, not believed.
    const second = await pendingPurchase();
    stand.pay(second.authority);
    expect((await callback(second.authority, 'NOK')).headers.location).toContain('status=completed');
    expect(await grants(second.payment.id)).toBe(1);
  });

  it('Status=OK for an unpaid payment: verify says -51, the payment fails with the reason and nothing is granted', async () => {
    const { u, payment, authority } = await pendingPurchase();
    const res = await callback(authority, 'OK');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toContain(`payment=${payment.id}&status=failed`);
    const row = await paymentRow(payment.id);
    expect(row.status).toBe('failed');
    expect(row.failure_reason).toContain('-51');
    expect(row.provider_reference).toBeNull();
    expect((await credits(u.access_token)).available).toBe(2);
    expect(await grants(payment.id)).toBe(0);
  });

  it('a verify refused for a different amount (-50) fails the payment', async () => {
    const { payment, authority } = await pendingPurchase();
    stand.pay(authority);
    stand.transactions.get(authority)!.amount = 1; // ZarinPal holds another amount than our row
    expect((await callback(authority)).headers.location).toContain('status=failed');
    expect((await paymentRow(payment.id)).failure_reason).toContain('-50');
    expect(await grants(payment.id)).toBe(0);
  });

  it('10 parallel callbacks for one authority grant once; every one redirects with status=completed', async () => {
    const { u, payment, authority } = await pendingPurchase();
    stand.pay(authority);
    const results = await Promise.all(Array.from({ length: 10 }, () => callback(authority)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(302));
    expect(results.every((r) => r.headers.location!.endsWith(`payment=${payment.id}&status=completed`))).toBe(true);
    expect(stand.verifiedNow.get(authority)).toBe(1);
    expect(await grants(payment.id)).toBe(1);
    expect(await credits(u.access_token)).toMatchObject({ available: 32, total_purchased: 30 });
  });

  it('a callback replayed after completion redirects again and grants nothing more', async () => {
    const { u, payment, authority } = await pendingPurchase();
    stand.pay(authority);
    expect((await callback(authority)).statusCode).toBe(302);
    const seen = verifies(authority);
    const again = await callback(authority);
    expect(again.statusCode).toBe(302);
    expect(again.headers.location).toContain('status=completed');
    expect(verifies(authority)).toBe(seen); // a settled payment is not verified again
    expect(await grants(payment.id)).toBe(1);
    expect((await credits(u.access_token)).available).toBe(32);
  });

  it('verify answering 101 (verified before, e.g. our answer was lost) completes the payment once', async () => {
    const { u, payment, authority } = await pendingPurchase();
    stand.pay(authority);
    const tx = stand.transactions.get(authority)!;
    tx.state = 'verified';
    tx.refId = 987654;
    const res = await callback(authority);
    expect(res.headers.location).toContain('status=completed');
    expect(await paymentRow(payment.id)).toMatchObject({ status: 'completed', provider_reference: '987654' });
    expect(await grants(payment.id)).toBe(1);
    expect((await credits(u.access_token)).available).toBe(32);
  });

  it('verify unreachable: 502 problem+json, the payment stays pending, and a later callback completes it', async () => {
    const { u, payment, authority } = await pendingPurchase();
    stand.pay(authority);
    stand.mode = 'down';
    const res = await callback(authority);
    expect(res.statusCode).toBe(502);
    expect(res.data.code).toBe('payment_provider_error');
    expect((await paymentRow(payment.id)).status).toBe('pending');
    stand.mode = 'normal';
    expect((await callback(authority)).headers.location).toContain('status=completed');
    expect((await credits(u.access_token)).available).toBe(32);
  });

  it('an unknown authority is 404 problem+json; a missing or odd Status is 400', async () => {
    const unknown = await callback('A00000000000000000000000000999999999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.data.code).toBe('not_found');
    const { authority } = await pendingPurchase();
    for (const url of [`/api/v1/billing/zarinpal/callback?Authority=${authority}`, `/api/v1/billing/zarinpal/callback?Authority=${authority}&Status=PAID`, '/api/v1/billing/zarinpal/callback?Status=OK']) {
      const res = await call(t.app, 'GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.data.code).toBe('validation_failed');
    }
    expect(verifies(authority)).toBe(0);
  });
});

describe('what a ZarinPal payment buys', () => {
  it('a plan covers one period with provider zarinpal; a second payment renews it from the end of the first', async () => {
    const basic = plans.basic!;
    const { u, payment, authority } = await pendingPurchase({ plan_id: basic.id });
    expect(stand.transactions.get(authority)!.amount).toBe(basic.amount_minor / 100);
    stand.pay(authority);
    expect((await callback(authority)).headers.location).toContain('status=completed');
    const sub = (await call(t.app, 'GET', '/api/v1/billing/subscription', { token: u.access_token })).data.subscription;
    expect(sub).toMatchObject({ status: 'active', plan: { name: 'basic' }, cancel_at_period_end: false });
    const start = new Date(sub.current_period_start);
    const end = new Date(sub.current_period_end);
    const oneMonth = new Date(start);
    oneMonth.setUTCMonth(oneMonth.getUTCMonth() + 1);
    expect(end.toISOString()).toBe(oneMonth.toISOString());
    const [row] = await sqlRows<{ provider: string; last_payment_id: string }>(t, `select provider, last_payment_id from subscriptions where user_id = '${u.user.id}'`);
    expect(row).toEqual({ provider: 'zarinpal', last_payment_id: payment.id });
    expect((await credits(u.access_token)).available).toBe(2 + basic.credits_per_period);

    const renewal = await checkout(u.access_token, { plan_id: basic.id });
    const renewalAuthority = (await paymentRow(renewal.data.payment.id)).provider_payment_id;
    stand.pay(renewalAuthority);
    expect((await callback(renewalAuthority)).headers.location).toContain('status=completed');
    const renewed = (await call(t.app, 'GET', '/api/v1/billing/subscription', { token: u.access_token })).data.subscription;
    expect(renewed.current_period_start).toBe(end.toISOString());
    const twoMonths = new Date(end);
    twoMonths.setUTCMonth(twoMonths.getUTCMonth() + 1);
    expect(renewed.current_period_end).toBe(twoMonths.toISOString());
  });

  it('a gift card bought through ZarinPal is issued on verify and its code emailed to the recipient', async () => {
    const recipient = uniqueEmail('gift');
    const { u, payment, authority } = await pendingPurchase({ gift_card: { package_id: rialPack, recipient_email: recipient } });
    stand.pay(authority);
    await Promise.all([callback(authority), callback(authority)]);
    const cards = await sqlRows<{ status: string; credits: number }>(t, `select status, credits from gift_cards where payment_id = '${payment.id}'`);
    expect(cards).toEqual([{ status: 'active', credits: 30 }]);
    await codesSent(t.app);
    const mail = await call(t.app, 'GET', `/api/v1/dev/outbox?to=${encodeURIComponent(recipient)}`);
    expect(mail.data.data).toHaveLength(1);
    const code = mail.data.data[0].code as string;
    const redeemer = await signUp(t.app);
    const redeemed = await call(t.app, 'POST', '/api/v1/billing/gift-cards/redeem', { token: redeemer.access_token, body: { code } });
    expect(redeemed.statusCode, redeemed.body).toBe(200);
    expect(redeemed.data.credits_awarded).toBe(30);
    expect((await credits(u.access_token)).available).toBe(2);
  });
});

describe('the ZarinPal client', () => {
  it('gives up on a ZarinPal that does not answer, as a 502 payment_provider_error', async () => {
    stand.mode = 'hang';
    const gateway = createZarinpalGateway({ merchantId: stand.merchantId, apiBase: stand.url, callbackUrl: CALLBACK, timeoutMs: 200 });
    const err = await gateway.verify('A00000000000000000000000000000000001', 25000000, 'IRR').catch((e: unknown) => e);
    expect(isAppError(err) && err.code === 'payment_provider_error' && err.status === 502).toBe(true);
  });

  it('converts amounts and mobiles as ZarinPal documents them', () => {
    expect(rialsFromMinor(5000000, 'IRR')).toBe(50000);
    expect(() => rialsFromMinor(5000050, 'IRR')).toThrow(/whole rials/);
    expect(() => rialsFromMinor(1999, 'USD')).toThrow(/IRR only/);
    expect(zarinpalMobile('+989121234567')).toBe('09121234567');
    expect(zarinpalMobile('+14155550100')).toBeUndefined();
    expect(zarinpalMobile(null)).toBeUndefined();
  });
});
