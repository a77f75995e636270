/**
 * Checkout through Stripe.
 * Real: app, database, auth, Idempotency-Key handling, the `stripe` SDK and its HTTP requests.
 * Stand-in: Stripe's API is a local node:http server speaking its documented form-encoded
 * requests and JSON answers (test/helpers/stripe-stand-in.ts); a manual clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { countRows, signUp, signUpAdmin } from '../helpers/accounts.ts';
import { startStripeStandIn, stripeEnv, type StripeStandIn } from '../helpers/stripe-stand-in.ts';

let stripe: StripeStandIn;
let t: TestApp;
let packages: Record<string, { id: string; credits: number; amount_minor: number }>;
let monthlyPlanId: string;
beforeAll(async () => {
  stripe = await startStripeStandIn();
  t = await createTestApp({ env: { ...stripeEnv(stripe), ATELIER_RETURN_URL_ORIGINS: 'https://shop.example' } });
  packages = Object.fromEntries((await call(t.app, 'GET', '/api/v1/billing/packages')).data.data.map((p: { name: string }) => [p.name, p]));
  const [plan] = await sqlRows<{ id: string }>(
    t,
    `insert into plans (name, display_name, audience, amount_minor, currency, billing_period, credits_per_period)
     values ('stripe_monthly', 'Studio', 'user', 1500, 'USD', 'month', 40) returning id`,
  );
  monthlyPlanId = plan!.id;
});
afterAll(async () => {
  await t?.close();
  await stripe?.close();
});

const checkout = (token: string, body: Record<string, unknown>, key?: string) =>
  call(t.app, 'POST', '/api/v1/billing/checkout', { token, body, headers: key ? { 'idempotency-key': key } : {} });
const sessionCreates = () => stripe.received.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions');

describe('POST /billing/checkout with provider stripe', () => {
  it('opens a payment-mode session for a package and stores its id; the buyer goes to its url', async () => {
    const u = await signUp(t.app);
    const before = sessionCreates().length;
    const res = await checkout(u.access_token, { package_id: packages.Pro!.id, provider: 'stripe', return_url: 'https://shop.example/done' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.payment).toMatchObject({ status: 'pending', provider: 'stripe', purpose: 'package', amount_minor: 1999, currency: 'USD', credits: 50 });
    const sent = sessionCreates()[before]!;
    const sessionId = [...stripe.sessions.values()].find((s) => s.client_reference_id === res.data.payment.id)!.id;
    expect(res.data.redirect_url).toBe(`https://checkout.stripe.test/c/pay/${sessionId}`);
    expect(sent.authorization).toBe(`Bearer ${stripe.secretKey}`);
    expect(sent.form).toMatchObject({
      mode: 'payment',
      client_reference_id: res.data.payment.id,
      'metadata[payment_id]': res.data.payment.id,
      'payment_intent_data[metadata][payment_id]': res.data.payment.id,
      success_url: 'https://shop.example/done',
      cancel_url: 'https://shop.example/done',
      customer_email: u.email,
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'usd',
      'line_items[0][price_data][unit_amount]': '1999',
      'line_items[0][price_data][product_data][name]': 'Pro credit package',
    });
    expect(sent.form['line_items[0][price_data][recurring][interval]']).toBeUndefined();
    expect(sent.idempotencyKey).toBe(`atelier-checkout-${res.data.payment.id}`);
    const [row] = await sqlRows<{ provider_payment_id: string }>(t, `select provider_payment_id from payments where id = '${res.data.payment.id}'`);
    expect(row!.provider_payment_id).toBe(sessionId);
  });

  it('uses the configured Stripe price id, and a subscription-mode session for a monthly plan', async () => {
    await sqlRows(t, `update plans set provider_price_ids = '{"stripe":"price_studio_monthly"}' where id = '${monthlyPlanId}'`);
    stripe.prices.set('price_studio_monthly', { unit_amount: 1500, currency: 'usd', interval: 'month' });
    const u = await signUp(t.app);
    const res = await checkout(u.access_token, { plan_id: monthlyPlanId, provider: 'stripe' });
    expect(res.statusCode, res.body).toBe(201);
    const sent = sessionCreates().at(-1)!;
    expect(sent.form).toMatchObject({
      mode: 'subscription',
      'line_items[0][price]': 'price_studio_monthly',
      'subscription_data[metadata][payment_id]': res.data.payment.id,
      // No return_url: the buyer comes back to the app's billing page.
      success_url: `http://localhost:${t.config.port}/billing?payment=${res.data.payment.id}`,
    });
    expect(sent.form['line_items[0][price_data][unit_amount]']).toBeUndefined();
    expect(sent.form['payment_intent_data[metadata][payment_id]']).toBeUndefined();
    await sqlRows(t, `update plans set provider_price_ids = '{}' where id = '${monthlyPlanId}'`);
    const inline = await checkout(u.access_token, { plan_id: monthlyPlanId, provider: 'stripe' });
    expect(inline.statusCode).toBe(201);
    expect(sessionCreates().at(-1)!.form).toMatchObject({
      mode: 'subscription',
      'line_items[0][price_data][unit_amount]': '1500',
      'line_items[0][price_data][recurring][interval]': 'month',
    });
  });

  it('a coupon discount becomes a one-off Stripe coupon on the session', async () => {
    const admin = await signUpAdmin(t);
    const made = await call(t.app, 'POST', '/api/v1/admin/coupons', { token: admin.access_token, body: { code: 'STRIPE5', type: 'fixed_amount', value: 500, currency: 'USD' } });
    expect(made.statusCode, made.body).toBe(201);
    const u = await signUp(t.app);
    const res = await checkout(u.access_token, { package_id: packages.Pro!.id, provider: 'stripe', coupon_code: 'STRIPE5' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.payment).toMatchObject({ amount_minor: 1499, discount_minor: 500 });
    const coupon = stripe.received.filter((r) => r.path === '/v1/coupons').at(-1)!;
    expect(coupon.form).toMatchObject({ amount_off: '500', currency: 'usd', duration: 'once', max_redemptions: '1' });
    const sent = sessionCreates().at(-1)!;
    expect(sent.form['discounts[0][coupon]']).toMatch(/^co_test_/);
    expect(sent.form['line_items[0][price_data][unit_amount]']).toBe('1999');
    const session = [...stripe.sessions.values()].find((s) => s.client_reference_id === res.data.payment.id)!;
    expect(session.amount_total).toBe(1499);
  });

  it('Stripe refusing or failing to answer → 502 payment_provider_error, and no payment is left pending', async () => {
    const u = await signUp(t.app);
    const cases = [
      { status: 400, type: 'invalid_request_error', message: 'No such price: price_gone', code: 'resource_missing' },
      { status: 401, type: 'invalid_request_error', message: 'Invalid API Key provided' },
      { status: 500, type: 'api_error', message: 'Something went wrong on our end' },
      'hang-up' as const,
    ];
    for (const failure of cases) {
      // A cut connection is retried by the SDK (once as a closed connection, once as its network retry).
      stripe.failNext(/^POST \/v1\/checkout\/sessions$/, failure, failure === 'hang-up' ? 3 : 1);
      const res = await checkout(u.access_token, { package_id: packages.Starter!.id, provider: 'stripe' }, `refused-${typeof failure === 'string' ? failure : failure.status}`);
      expect(res.statusCode, res.body).toBe(502);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.data.code).toBe('payment_provider_error');
      expect(res.data.detail).not.toContain('price_gone');
      expect(res.data.detail).toMatch(/Stripe/);
    }
    // Each attempt stays on the books as failed (the provider may have seen it); none is left pending.
    expect(await countRows(t, `select count(*) as n from payments where user_id = '${u.user.id}' and status = 'pending'`)).toBe(0);
    expect(await countRows(t, `select count(*) as n from payments where user_id = '${u.user.id}' and status = 'failed' and failure_reason like 'Checkout not opened: Stripe%'`)).toBe(cases.length);
    expect(await countRows(t, `select count(*) as n from idempotency_keys where key like 'refused-%'`)).toBe(0);
    // The same key works once Stripe answers again.
    const ok = await checkout(u.access_token, { package_id: packages.Starter!.id, provider: 'stripe' }, 'refused-400');
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('a repeated Idempotency-Key opens one Stripe session', async () => {
    const u = await signUp(t.app);
    const before = sessionCreates().length;
    const body = { package_id: packages.Starter!.id, provider: 'stripe' };
    const results = await Promise.all(Array.from({ length: 5 }, () => checkout(u.access_token, body, 'stripe-once')));
    expect(results.map((r) => r.statusCode)).toEqual(Array(5).fill(201));
    expect(new Set(results.map((r) => r.data.redirect_url)).size).toBe(1);
    expect(sessionCreates().length - before).toBe(1);
    expect(await countRows(t, `select count(*) as n from payments where user_id = '${u.user.id}'`)).toBe(1);
  });
});

describe('the webhook route', () => {
  it('is published in the OpenAPI document when Stripe is configured', async () => {
    const doc = await call(t.app, 'GET', '/api/openapi.json');
    expect(doc.statusCode).toBe(200);
    expect(Object.keys(doc.data.paths)).toContain('/api/v1/billing/webhooks/stripe');
  });
});

describe('without Stripe configured', () => {
  it('has no webhook route and refuses stripe checkouts', async () => {
    const plain = await createTestApp();
    try {
      const hook = await call(plain.app, 'POST', '/api/v1/billing/webhooks/stripe', { body: { id: 'evt_1' }, headers: { 'stripe-signature': 't=1,v1=00' } });
      expect(hook.statusCode).toBe(404);
      const u = await signUp(plain.app);
      const res = await call(plain.app, 'POST', '/api/v1/billing/checkout', { token: u.access_token, body: { package_id: packages.Pro!.id, provider: 'stripe' } });
      expect(res.statusCode).toBe(400);
    } finally {
      await plain.close();
    }
  });
});
