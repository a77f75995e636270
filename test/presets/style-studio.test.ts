/**
 * The style-studio product (seed 003) end to end on the embedded default: phone sign-up with an SMS
 * code, free conversions as a quota then `quota_exceeded`, a rial plan bought through ZarinPal,
 * paid conversions, a vendor's album within its gallery quota, and the admin's view.
 * Real: a server started with ATELIER_PRESET=style-studio (preset-server.ts) on a fresh database,
 * the local provider, the queue and workers, HTTP over a real port. Stand-ins: ZarinPal's REST API
 * (test/helpers/zarinpal.ts, its documented protocol); SMS goes to the dev outbox.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniquePhone } from '../helpers/accounts.ts';
import { startZarinpalStandIn, type ZarinpalStandIn } from '../helpers/zarinpal.ts';
import { startPresetServer, type PresetServer } from './preset-server.ts';

let s: PresetServer;
let zp: ZarinpalStandIn;
beforeAll(async () => {
  zp = await startZarinpalStandIn();
  s = await startPresetServer('style-studio', { ZARINPAL_MERCHANT_ID: zp.merchantId, ZARINPAL_API_BASE: zp.url });
}, 60_000);
afterAll(async () => {
  await s?.close();
  await zp?.close();
});

const photo = () => sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 40, g: 120, b: 200 } } }).jpeg().toBuffer();

async function phoneUser(extra: Record<string, unknown> = {}): Promise<{ token: string; phone: string }> {
  const phone = uniquePhone();
  const reg = await s.api('POST', '/auth/register', { body: { phone, password: 'password123', ...extra } });
  expect(reg.status, JSON.stringify(reg.data)).toBe(201);
  expect((await s.api('POST', '/auth/otp/request', { body: { phone, purpose: 'phone_verify' } })).status).toBe(202);
  const verified = await s.api('POST', '/auth/otp/verify', { body: { phone, purpose: 'phone_verify', code: await s.code(phone) } });
  expect(verified.status, JSON.stringify(verified.data)).toBe(200);
  return { token: reg.data.access_token, phone };
}

const convert = (token: string, source: string) =>
  s.api('POST', '/generations', { token, body: { type: 'style_conversion', style: 'watercolor', source_asset_ids: [source] } });

describe('style-studio preset', () => {
  it('tells clients it is a phone-first rial product with one studio', async () => {
    const res = await s.api('GET', '/config');
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      preset: 'style-studio',
      product_name: 'Atelier Style Studio',
      studios: ['style-studio'],
      sign_up: { email: false, phone: true, oauth: [] },
      currency: 'IRR',
      locales: ['fa', 'en'],
      default_locale: 'fa',
      payment_providers: ['zarinpal', 'manual'],
    });
    const plans = await s.api('GET', '/billing/plans');
    expect(plans.data.data.map((p: any) => p.name).sort()).toEqual(['advanced', 'basic', 'free', 'vendor_free', 'vendor_pro']);
    expect(new Set(plans.data.data.map((p: any) => p.currency))).toEqual(new Set(['IRR']));
    expect((await s.api('GET', '/billing/packages')).data.data).toEqual([]);
    const types = await s.api('GET', '/generation-types');
    expect(new Set(types.data.map((t: any) => t.studio))).toEqual(new Set(['style-studio']));
  });

  it('signs people up by phone, not by email', async () => {
    const byEmail = await s.api('POST', '/auth/register', { body: { email: 'someone@example.com', password: 'password123' } });
    expect(byEmail.status).toBe(400);
    expect(byEmail.data).toMatchObject({ code: 'validation_failed', errors: [{ path: 'email' }] });
  });

  it('gives two free conversions, then quota_exceeded; a ZarinPal plan then pays for more', { timeout: 180_000 }, async () => {
    const u = await phoneUser();
    const me = await s.api('GET', '/me', { token: u.token });
    expect(me.data).toMatchObject({ phone_verified: true, credits: { available: 0, held: 0 }, plan: { name: 'free' } });
    const source = await s.upload(u.token, await photo());

    const first = await convert(u.token, source);
    expect(first.status, JSON.stringify(first.data)).toBe(202);
    expect(first.data.credits_reserved).toBe(0);
    const second = await convert(u.token, source);
    expect(second.status).toBe(202);
    const third = await convert(u.token, source);
    expect(third.status).toBe(403);
    expect(third.data).toMatchObject({ code: 'quota_exceeded', limit: 2, used: 2 });
    expect(new Date(third.data.resets_at).getTime()).toBeGreaterThan(Date.now());

    for (const g of [first, second]) {
      const done = await s.settled(u.token, g.data.id);
      expect(done, JSON.stringify(done.error)).toMatchObject({ status: 'completed', credits_used: 0 });
      expect(done.outputs).toHaveLength(1);
    }
    expect((await s.api('GET', '/credits', { token: u.token })).data).toMatchObject({ available: 0, held: 0 });

    // The Basic plan through ZarinPal: checkout → StartPay (the buyer pays) → callback → verified.
    const basic = (await s.api('GET', '/billing/plans')).data.data.find((p: any) => p.name === 'basic');
    expect(basic).toMatchObject({ amount_minor: 5_000_000, currency: 'IRR', credits_per_period: 20 });
    const checkout = await s.api('POST', '/billing/checkout', { token: u.token, body: { plan_id: basic.id, provider: 'zarinpal' } });
    expect(checkout.status, JSON.stringify(checkout.data)).toBe(201);
    const authority = new URL(checkout.data.redirect_url).pathname.split('/').pop()!;
    zp.pay(authority);
    const callback = await fetch(`${s.url}/api/v1/billing/zarinpal/callback?Authority=${authority}&Status=OK`, { redirect: 'manual' });
    expect(callback.status).toBe(302);
    expect((await s.api('GET', `/billing/payments/${checkout.data.payment.id}`, { token: u.token })).data.status).toBe('completed');
    expect((await s.api('GET', '/me', { token: u.token })).data).toMatchObject({ plan: { name: 'basic', source: 'subscription' }, credits: { available: 20 } });

    // On the plan, conversions spend its credits within its own conversion limit.
    const paid = await convert(u.token, source);
    expect(paid.status, JSON.stringify(paid.data)).toBe(202);
    expect(paid.data.credits_reserved).toBe(1);
    expect(await s.settled(u.token, paid.data.id)).toMatchObject({ status: 'completed', credits_used: 1 });
    expect((await s.api('GET', '/credits', { token: u.token })).data).toMatchObject({ available: 19, held: 0 });

    // The admin sees the user's conversions.
    const admin = await s.admin();
    const list = await s.api('GET', '/admin/generations?type=style_conversion', { token: admin });
    expect(list.status, JSON.stringify(list.data)).toBe(200);
    const ids = list.data.data.map((g: any) => g.id);
    expect(ids).toEqual(expect.arrayContaining([first.data.id, second.data.id, paid.data.id]));
    await s.invariants();
  });

  it('holds the free quota under parallel requests: exactly two of five are accepted', { timeout: 60_000 }, async () => {
    const u = await phoneUser();
    const source = await s.upload(u.token, await photo());
    const answers = await Promise.all(Array.from({ length: 5 }, () => convert(u.token, source)));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 202, 403, 403, 403]);
    const rows = await s.api('GET', '/generations?type=style_conversion', { token: u.token });
    expect(rows.data.data).toHaveLength(2);
  });

  it('lets a vendor publish an album within the Vendor Free gallery quota', { timeout: 120_000 }, async () => {
    const v = await phoneUser({ account_type: 'vendor', business_name: 'Nima Prints' });
    const me = await s.api('GET', '/me', { token: v.token });
    expect(me.data).toMatchObject({ role: 'vendor', plan: { name: 'vendor_free', gallery_limit: 10 } });
    const album = await s.api('POST', '/collections', { token: v.token, body: { name: 'Spring', is_public: true } });
    expect(album.status, JSON.stringify(album.data)).toBe(201);
    for (let i = 0; i < 10; i++) {
      const id = await s.upload(v.token, await photo());
      expect((await s.api('POST', `/collections/${album.data.id}/items`, { token: v.token, body: { asset_id: id } })).status).toBe(201);
    }
    const over = await s.upload(v.token, await photo());
    const refused = await s.api('POST', `/collections/${album.data.id}/items`, { token: v.token, body: { asset_id: over } });
    expect(refused.status).toBe(403);
    expect(refused.data.code).toBe('quota_exceeded');
    const page = await s.api('GET', `/public/vendors/${me.data.vendor_profile.slug}/albums`);
    expect(page.status).toBe(200);
    expect(page.data.data[0]).toMatchObject({ name: 'Spring', item_count: 10 });
  });
});
