/**
 * Coupons and gift cards.
 * Real: app, database, auth, Idempotency-Key handling, the ledger, parallel requests, the gift card
 * email through the mailer. Stand-ins: the outbox mailer (read through /dev/outbox); the `manual`
 * payment provider plays the gateway; coupons are inserted with SQL (as an admin would create them).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkCreditInvariants } from '../../src/modules/billing/index.ts';
import { call, codesSent, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { countRows, signUp, uniqueEmail } from '../helpers/accounts.ts';

let t: TestApp;
let pro: { id: string; amount_minor: number; currency: string };
let basic: { id: string };
beforeAll(async () => {
  t = await createTestApp({ env: { ATELIER_PAYMENTS_MANUAL: 'on' } });
  pro = (await call(t.app, 'GET', '/api/v1/billing/packages')).data.data.find((p: { name: string }) => p.name === 'Pro');
  basic = (await call(t.app, 'GET', '/api/v1/billing/plans?audience=user')).data.data.find((p: { name: string }) => p.name === 'basic');
});
afterEach(async () => {
  expect(await checkCreditInvariants(t.database.db)).toEqual([]);
});
afterAll(async () => t?.close());

let n = 0;
async function coupon(fields: Record<string, string | number | boolean | null>) {
  const code = `C${Date.now().toString(36).toUpperCase()}${++n}`;
  const cols = { code, per_user_limit: 1, ...fields };
  const values = Object.values(cols).map((v) => (v === null ? 'null' : typeof v === 'string' ? `'${v}'` : String(v)));
  await sqlRows(t, `insert into coupons (${Object.keys(cols).join(', ')}) values (${values.join(', ')})`);
  return code;
}
const redeem = (token: string, code: string, path = 'coupons') => call(t.app, 'POST', `/api/v1/billing/${path}/redeem`, { token, body: { code } });
const available = async (token: string) => (await call(t.app, 'GET', '/api/v1/credits', { token })).data.available;

describe('POST /billing/coupons/validate', () => {
  it('prices percentage and fixed coupons against a package, and reports credits coupons', async () => {
    const u = await signUp(t.app);
    const pct = await coupon({ type: 'percentage', value: 25 });
    const fixed = await coupon({ type: 'fixed_amount', value: 500, currency: 'USD' });
    const irr = await coupon({ type: 'fixed_amount', value: 500, currency: 'EUR' });
    const credits = await coupon({ type: 'credits', value: 7 });
    const v = (code: string, body: Record<string, string> = { package_id: pro.id }) =>
      call(t.app, 'POST', '/api/v1/billing/coupons/validate', { token: u.access_token, body: { code, ...body } });
    expect((await v(pct.toLowerCase())).data).toEqual({ valid: true, discount_minor: Math.floor(pro.amount_minor / 4), credits: 0 });
    expect((await v(fixed)).data).toEqual({ valid: true, discount_minor: 500, credits: 0 });
    expect((await v(irr)).data).toEqual({ valid: false, discount_minor: 0, credits: 0 });
    expect((await v(credits, { plan_id: basic.id })).data).toEqual({ valid: true, discount_minor: 0, credits: 7 });
    expect((await v('NO-SUCH-CODE')).data.valid).toBe(false);
    expect((await v(pct, {})).statusCode).toBe(400);
    expect((await v(pct, { package_id: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
  });

  it('a coupon outside its validity window or inactive is not valid', async () => {
    const u = await signUp(t.app);
    const now = t.clock.now().getTime();
    const future = await coupon({ type: 'percentage', value: 10, valid_from: new Date(now + 86_400_000).toISOString() });
    const past = await coupon({ type: 'percentage', value: 10, valid_until: new Date(now - 1000).toISOString() });
    const off = await coupon({ type: 'percentage', value: 10, is_active: false });
    for (const code of [future, past, off]) {
      const res = await call(t.app, 'POST', '/api/v1/billing/coupons/validate', { token: u.access_token, body: { code, package_id: pro.id } });
      expect(res.data.valid, code).toBe(false);
    }
  });
});

describe('POST /billing/coupons/redeem', () => {
  it('10 parallel redeemers of a max-3 coupon: exactly 3 get the credits', async () => {
    const code = await coupon({ type: 'credits', value: 5, max_uses: 3 });
    const users = await Promise.all(Array.from({ length: 10 }, () => signUp(t.app)));
    const results = await Promise.all(users.map((u) => redeem(u.access_token, code)));
    const ok = results.filter((r) => r.statusCode === 200);
    expect(ok).toHaveLength(3);
    expect(ok.every((r) => r.data.credits_awarded === 5 && r.data.available === 7)).toBe(true);
    expect(results.filter((r) => r.statusCode === 400).every((r) => r.data.code === 'invalid_code')).toBe(true);
    expect((await sqlRows<{ uses_count: number }>(t, `select uses_count from coupons where code = '${code}'`))[0]!.uses_count).toBe(3);
    expect(await countRows(t, `select count(*) as n from credit_transactions where type = 'coupon' and description = 'Coupon ${code}'`)).toBe(3);
  });

  it('holds the per-user limit under parallel requests of one user', async () => {
    const code = await coupon({ type: 'credits', value: 4, per_user_limit: 2 });
    const u = await signUp(t.app);
    const results = await Promise.all(Array.from({ length: 6 }, () => redeem(u.access_token, code)));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(2);
    expect(await available(u.access_token)).toBe(2 + 8);
    // The refused ones rolled back their use: only the two redemptions count.
    expect((await sqlRows<{ uses_count: number }>(t, `select uses_count from coupons where code = '${code}'`))[0]!.uses_count).toBe(2);
  });

  it('refuses a discount coupon, an unknown code and an expired one with 400 invalid_code', async () => {
    const u = await signUp(t.app);
    const pct = await coupon({ type: 'percentage', value: 10 });
    const expired = await coupon({ type: 'credits', value: 3, valid_until: new Date(t.clock.now().getTime() - 1).toISOString() });
    for (const code of [pct, expired, 'NOPE-NOPE']) {
      const res = await redeem(u.access_token, code);
      expect(res.statusCode, code).toBe(400);
      expect(res.data.code).toBe('invalid_code');
    }
    expect(await available(u.access_token)).toBe(2);
  });

  it('replays a redeem with the same Idempotency-Key instead of redeeming twice', async () => {
    const code = await coupon({ type: 'credits', value: 3, per_user_limit: 5 });
    const u = await signUp(t.app);
    const send = () => call(t.app, 'POST', '/api/v1/billing/coupons/redeem', { token: u.access_token, body: { code }, headers: { 'idempotency-key': `r-${code}` } });
    const [a, b] = [await send(), await send()];
    expect(b.statusCode).toBe(200);
    expect(b.data).toEqual(a.data);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(await available(u.access_token)).toBe(5);
  });
});

describe('gift cards', () => {
  async function buyGiftCard() {
    const buyer = await signUp(t.app);
    const recipient = uniqueEmail('gift');
    const res = await call(t.app, 'POST', '/api/v1/billing/checkout', {
      token: buyer.access_token,
      body: { gift_card: { package_id: pro.id, recipient_email: recipient }, provider: 'manual' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.payment).toMatchObject({ purpose: 'gift_card', credits: 50, status: 'pending' });
    expect(await countRows(t, `select count(*) as n from gift_cards where payment_id = '${res.data.payment.id}'`)).toBe(0);
    const done = await Promise.all(Array.from({ length: 3 }, () => call(t.app, 'POST', `/api/v1/billing/manual/${res.data.payment.id}/complete`, { token: buyer.access_token })));
    expect(done.every((d) => d.statusCode === 200)).toBe(true);
    await codesSent(t.app);
    const mail = await call(t.app, 'GET', `/api/v1/dev/outbox?to=${encodeURIComponent(recipient)}`);
    expect(mail.data.data).toHaveLength(1);
    return { buyer, code: mail.data.data[0].code as string, body: mail.data.data[0].body as string };
  }

  it('a paid gift card is emailed once with a readable code; the buyer gets no credits', async () => {
    const { buyer, code, body } = await buyGiftCard();
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$/);
    expect(body).toContain(code);
    expect(await available(buyer.access_token)).toBe(2);
    // Only a hash of the code is stored.
    expect(await countRows(t, `select count(*) as n from gift_cards where code_hash = '${code}'`)).toBe(0);
  });

  it('10 parallel redeemers of one card: exactly 1 gets the credits; typed in lower case without dashes works', async () => {
    const { code } = await buyGiftCard();
    const users = await Promise.all(Array.from({ length: 10 }, () => signUp(t.app)));
    const results = await Promise.all(users.map((u, i) => redeem(u.access_token, i % 2 ? code : code.toLowerCase().replaceAll('-', ''), 'gift-cards')));
    const ok = results.filter((r) => r.statusCode === 200);
    expect(ok).toHaveLength(1);
    expect(ok[0]!.data).toEqual({ credits_awarded: 50, available: 52 });
    expect(results.filter((r) => r.statusCode === 400).every((r) => r.data.code === 'invalid_code')).toBe(true);
  });

  it('refuses a wrong code and an expired card', async () => {
    const u = await signUp(t.app);
    expect((await redeem(u.access_token, 'AAAA-BBBB-CCCC-DDDD', 'gift-cards')).statusCode).toBe(400);
    const { code } = await buyGiftCard();
    await sqlRows(t, `update gift_cards set expires_at = now() - interval '1 day' where status = 'active'`);
    const res = await redeem(u.access_token, code, 'gift-cards');
    expect(res.statusCode).toBe(400);
    expect(await available(u.access_token)).toBe(2);
  });
});

describe('a coupon at checkout', () => {
  it('discounts the payment, counts one use from checkout on, and a used-up coupon refuses the next checkout unchanged', async () => {
    const code = await coupon({ type: 'percentage', value: 20, max_uses: 1 });
    const u = await signUp(t.app);
    const res = await call(t.app, 'POST', '/api/v1/billing/checkout', { token: u.access_token, body: { package_id: pro.id, provider: 'manual', coupon_code: code } });
    expect(res.statusCode, res.body).toBe(201);
    const discount = Math.floor(pro.amount_minor / 5);
    expect(res.data.payment).toMatchObject({ amount_minor: pro.amount_minor - discount, discount_minor: discount, credits: 50 });
    await call(t.app, 'POST', `/api/v1/billing/manual/${res.data.payment.id}/complete`, { token: u.access_token });
    expect(await available(u.access_token)).toBe(52);

    const v = await signUp(t.app);
    const refused = await call(t.app, 'POST', '/api/v1/billing/checkout', { token: v.access_token, body: { package_id: pro.id, provider: 'manual', coupon_code: code } });
    expect(refused.statusCode).toBe(400);
    expect(refused.data.code).toBe('invalid_code');
    expect(await countRows(t, `select count(*) as n from payments where user_id = '${v.user.id}'`)).toBe(0);
    expect(await countRows(t, `select count(*) as n from coupon_redemptions r join coupons c on c.id = r.coupon_id where c.code = '${code}'`)).toBe(1);
  });

  it('refuses a credits coupon and a coupon in another currency at checkout', async () => {
    const u = await signUp(t.app);
    for (const code of [await coupon({ type: 'credits', value: 5 }), await coupon({ type: 'fixed_amount', value: 100, currency: 'EUR' })]) {
      const res = await call(t.app, 'POST', '/api/v1/billing/checkout', { token: u.access_token, body: { package_id: pro.id, provider: 'manual', coupon_code: code } });
      expect(res.statusCode, code).toBe(400);
      expect((await sqlRows<{ uses_count: number }>(t, `select uses_count from coupons where code = '${code}'`))[0]!.uses_count).toBe(0);
    }
  });
});
