/**
 * Admin gift cards: list, issue, get, switch off/on, move the expiry, delete; every write
 * audit-logged; expiry honoured at redeem.
 * Real: app, database, auth and roles, the ledger, audit rows, the gift card email through the
 * mailer, parallel requests. Stand-ins: the outbox mailer (read through /dev/outbox); the admin is a
 * signed-up user promoted with SQL; a manual clock; a bought card is issued by completing a
 * `manual` gift card payment.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkCreditInvariants } from '../../src/modules/billing/index.ts';
import { countRows, signUp, signUpAdmin, uniqueEmail } from '../helpers/accounts.ts';
import { call, codesSent, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';

const DAY = 86_400_000;
let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
beforeAll(async () => {
  t = await createTestApp({ env: { ATELIER_PAYMENTS_MANUAL: 'on' } });
 admin = await signUpAdmin(t);
});
afterEach(async () => {
  expect(await checkCreditInvariants(t.database.db)).toEqual([]);
});
afterAll(async () => t?.close());

/** Tokens last 15 minutes and tests move the clock by days: sign in again once the clock has moved. */
const tokens = new Map<string, { token: string; at: number }>();
async function tokenOf(u: { email: string | undefined; password: string }): Promise<string> {
  const now = t.clock.now().getTime();
  const cached = tokens.get(u.email!);
  if (cached && now - cached.at < 60_000) return cached.token;
  const token = (await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: u.email, password: u.password } })).data.access_token as string;
  tokens.set(u.email!, { token, at: now });
  return token;
}
const asAdmin = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
  call(t.app, method, `/api/v1/admin/gift-cards${url}`, { token: await tokenOf(admin), body });
const issue = (body: Record<string, unknown>) => asAdmin('POST', '', body);
const redeem = async (u: Awaited<ReturnType<typeof signUp>>, code: string) => call(t.app, 'POST', '/api/v1/billing/gift-cards/redeem', { token: await tokenOf(u), body: { code } });
const audits = (action: string, id: string) => countRows(t, `select count(*) as n from audit_logs where action = '${action}' and target_id = '${id}' and actor_id = '${admin.user.id}'`);

describe('POST /admin/gift-cards', () => {
  it('issues a promotional card: the code once in the response and by email, only its hash stored, audit-logged without it', async () => {
    const to = uniqueEmail('gift');
    const res = await issue({ credits: 25, recipient_email: to.toUpperCase() });
    expect(res.statusCode, res.body).toBe(201);
    const card = res.data;
    expect(card).toMatchObject({ status: 'active', credits: 25, source: 'promotional', recipient_email: to, buyer_user_id: null, payment_id: null, expires_at: null });
    expect(card.code).toMatch(/^[2-9A-Z]{4}(-[2-9A-Z]{4}){3}$/);
    expect(card.code_last4).toBe(card.code.slice(-4));
    await codesSent(t.app);
    const mail = (await call(t.app, 'GET', `/api/v1/dev/outbox?to=${encodeURIComponent(to)}`)).data.data;
    expect(mail).toHaveLength(1);
    expect(mail[0].body).toContain(card.code);
    const [row] = await sqlRows<Record<string, unknown>>(t, `select * from gift_cards where id = '${card.id}'`);
    expect(JSON.stringify(row)).not.toContain(card.code.replace(/-/g, '').slice(0, 12));
    const [audit] = await sqlRows<{ details: unknown }>(t, `select details from audit_logs where action = 'billing.gift_card.issue' and target_id = '${card.id}'`);
    expect(audit!.details).toMatchObject({ before: null, after: { credits: 25, code_last4: card.code_last4, code_hash: '[redacted]' } });
    expect(JSON.stringify(audit!.details)).not.toContain(card.code);
    // Shown once: reading it back gives no code.
    const got = await asAdmin('GET', `/${card.id}`);
    expect(got.data.code).toBeUndefined();
    expect(got.data).toMatchObject({ id: card.id, code_last4: card.code_last4, status: 'active' });

    const u = await signUp(t.app);
    expect((await redeem(u, card.code.toLowerCase())).data).toEqual({ credits_awarded: 25, available: 27 });
    expect((await asAdmin('GET', `/${card.id}`)).data).toMatchObject({ status: 'redeemed', redeemed_by_user_id: u.user.id });
  });

  it('refuses bad bodies and a past expiry (400), and non-admins (403, 401); nothing is written', async () => {
    const before = await countRows(t, 'select count(*) as n from gift_cards');
    const past = new Date(t.clock.now().getTime() - 1000).toISOString();
    for (const body of [{}, { credits: 0 }, { credits: 1.5 }, { credits: 5, extra: 1 }, { credits: 5, recipient_email: 'nope' }, { credits: 5, expires_at: 'tomorrow' }, { credits: 5, expires_at: past }]) {
      const res = await issue(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.data.code).toBe('validation_failed');
    }
    const u = await signUp(t.app);
    expect((await call(t.app, 'POST', '/api/v1/admin/gift-cards', { token: u.access_token, body: { credits: 5 } })).statusCode).toBe(403);
    expect((await call(t.app, 'GET', '/api/v1/admin/gift-cards', { token: u.access_token })).data.code).toBe('forbidden');
    expect((await call(t.app, 'GET', '/api/v1/admin/gift-cards')).statusCode).toBe(401);
    expect(await countRows(t, 'select count(*) as n from gift_cards')).toBe(before);
  });
});

describe('expiry', () => {
  it('is honoured at redeem, shown as expired, and an admin can move it', async () => {
    const card = (await issue({ credits: 4, expires_at: new Date(t.clock.now().getTime() + DAY).toISOString() })).data;
    t.clock.advance(DAY + 1000);
    const u = await signUp(t.app);
    const late = await redeem(u, card.code);
    expect(late.statusCode).toBe(400);
    expect(late.data.code).toBe('invalid_code');
    expect((await asAdmin('GET', `/${card.id}`)).data.status).toBe('expired');
    expect((await asAdmin('GET', `?status=expired&q=${card.code}`)).data.data.map((c: { id: string }) => c.id)).toEqual([card.id]);
    expect((await asAdmin('GET', `?status=active&q=${card.code}`)).data.data).toEqual([]);

    const moved = await asAdmin('PATCH', `/${card.id}`, { expires_at: new Date(t.clock.now().getTime() + DAY).toISOString() });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.data.status).toBe('active');
    expect(await audits('billing.gift_card.update', card.id)).toBe(1);
    expect((await redeem(u, card.code)).data.credits_awarded).toBe(4);
  });
});

describe('PATCH and DELETE /admin/gift-cards/{id}', () => {
  it('switches an unredeemed card off and on; a redeemed card cannot change (409); unknown is 404', async () => {
    const card = (await issue({ credits: 3 })).data;
    const off = await asAdmin('PATCH', `/${card.id}`, { is_active: false });
    expect(off.data.status).toBe('disabled');
    const u = await signUp(t.app);
    expect((await redeem(u, card.code)).data.code).toBe('invalid_code');
    expect((await asAdmin('GET', `?status=disabled&q=${card.code_last4}`)).data.data.map((c: { id: string }) => c.id)).toContain(card.id);
    expect((await asAdmin('PATCH', `/${card.id}`, { is_active: true })).data.status).toBe('active');
    expect((await redeem(u, card.code)).statusCode).toBe(200);
    expect(await audits('billing.gift_card.update', card.id)).toBe(2);

    const redeemed = await asAdmin('PATCH', `/${card.id}`, { is_active: false });
    expect(redeemed.statusCode).toBe(409);
    expect(redeemed.data.code).toBe('conflict');
    expect((await asAdmin('PATCH', `/${card.id}`, {})).statusCode).toBe(400);
    expect((await asAdmin('PATCH', `/${card.id}`, { expires_at: new Date(t.clock.now().getTime() - 1).toISOString() })).statusCode).toBe(400);
    expect((await asAdmin('PATCH', '/00000000-0000-4000-8000-000000000000', { is_active: false })).statusCode).toBe(404);
    expect((await asAdmin('PATCH', '/not-a-uuid', { is_active: false })).statusCode).toBe(400);
    expect(await audits('billing.gift_card.update', card.id)).toBe(2);
  });

  it('deletes an unredeemed card (204, audit-logged); a redeemed one is 409 and stays', async () => {
    const gone = (await issue({ credits: 2 })).data;
    const del = await asAdmin('DELETE', `/${gone.id}`);
    expect(del.statusCode).toBe(204);
    expect(await audits('billing.gift_card.delete', gone.id)).toBe(1);
    expect((await asAdmin('GET', `/${gone.id}`)).statusCode).toBe(404);
    expect((await asAdmin('DELETE', `/${gone.id}`)).statusCode).toBe(404);
    const u = await signUp(t.app);
    expect((await redeem(u, gone.code)).data.code).toBe('invalid_code');

    const kept = (await issue({ credits: 2 })).data;
    await redeem(u, kept.code);
    const refused = await asAdmin('DELETE', `/${kept.id}`);
    expect(refused.statusCode).toBe(409);
    expect((await asAdmin('GET', `/${kept.id}`)).data.status).toBe('redeemed');
    expect(await audits('billing.gift_card.delete', kept.id)).toBe(0);
  });

  it('a delete racing a redeem: exactly one of them happens', async () => {
    for (let i = 0; i < 3; i++) {
      const card = (await issue({ credits: 6 })).data;
      const u = await signUp(t.app);
      const [redeemed, deleted] = await Promise.all([redeem(u, card.code), asAdmin('DELETE', `/${card.id}`)]);
      expect([redeemed.statusCode, deleted.statusCode].sort()).toEqual(redeemed.statusCode === 200 ? [200, 409] : [204, 400]);
      const available = (await call(t.app, 'GET', '/api/v1/credits', { token: await tokenOf(u) })).data.available;
      expect(available).toBe(redeemed.statusCode === 200 ? 8 : 2);
    }
  });
});

describe('GET /admin/gift-cards', () => {
  it('lists bought and promotional cards newest first, in cursor pages, filtered by status, code or email', async () => {
    // A bought card, through checkout.
    const buyer = await signUp(t.app);
    const pkg = (await call(t.app, 'GET', '/api/v1/billing/packages')).data.data[0];
    const to = uniqueEmail('bought');
    const pay = await call(t.app, 'POST', '/api/v1/billing/checkout', { token: buyer.access_token, body: { gift_card: { package_id: pkg.id, recipient_email: to }, provider: 'manual' } });
    await call(t.app, 'POST', `/api/v1/billing/manual/${pay.data.payment.id}/complete`, { token: buyer.access_token });
    const issued = [];
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1000);
      issued.push((await issue({ credits: 10 + i })).data);
    }
    const byEmail = (await asAdmin('GET', `?q=${encodeURIComponent(to)}`)).data.data;
    expect(byEmail).toHaveLength(1);
    expect(byEmail[0]).toMatchObject({ source: 'purchase', buyer_user_id: buyer.user.id, payment_id: pay.data.payment.id, package_id: pkg.id, credits: pkg.credits });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { data: { id: string }[]; next_cursor: string | null } } = await asAdmin('GET', `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.data.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.data.map((c) => c.id));
      cursor = page.data.next_cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 3)).toEqual(issued.map((c) => c.id).reverse());
    expect(seen).toContain(byEmail[0].id);
    expect(seen.length).toBe(await countRows(t, 'select count(*) as n from gift_cards'));

    const byLast4 = (await asAdmin('GET', `?q=${issued[1].code_last4.toLowerCase()}`)).data.data.map((c: { id: string }) => c.id);
    expect(byLast4).toContain(issued[1].id);
    const byCode = (await asAdmin('GET', `?q=${encodeURIComponent(issued[2].code.replace(/-/g, ' '))}`)).data.data;
    expect(byCode.map((c: { id: string }) => c.id)).toEqual([issued[2].id]);
    const redeemedOnly = (await asAdmin('GET', '?status=redeemed&limit=100')).data.data;
    expect(redeemedOnly.length).toBeGreaterThan(0);
    expect(redeemedOnly.every((c: { status: string }) => c.status === 'redeemed')).toBe(true);
    for (const bad of ['?status=lost', '?q=%25%25', '?cursor=nope', '?limit=0']) expect((await asAdmin('GET', bad)).statusCode, bad).toBe(400);
  });
});
