/**
 * System emails sent after the fact (decision 059): the payment receipt once per completed payment
 * (manual completion; a Stripe event delivered twice), in the buyer's locale; export_ready when an
 * account export finishes, with a link that downloads the zip. Each is an email_logs row and a
 * message in the outbox.
 * Real: app, database (PGlite or PostgreSQL via TEST_DATABASE_URL), checkout and fulfilment, the
 * `stripe` SDK, the export job's code, templates (defaults in en and fa), the sender and email log.
 * Stand-ins: the outbox transport (the dev mailer); Stripe's API is a local node:http server; the
 * export job is run directly instead of by a worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.ts';
import { signUp } from '../helpers/accounts.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { deliverStripeEvent, startStripeStandIn, stripeEnv, type StripeStandIn } from '../helpers/stripe-stand-in.ts';

let stripe: StripeStandIn;
let t: TestApp;
let pro: { id: string; credits: number; amount_minor: number; currency: string };
beforeAll(async () => {
  stripe = await startStripeStandIn();
  t = await createTestApp({ env: { ...stripeEnv(stripe), ATELIER_PAYMENTS_MANUAL: 'on' } });
  pro = (await call(t.app, 'GET', '/api/v1/billing/packages')).data.data.find((p: { name: string }) => p.name === 'Pro');
});
afterAll(async () => {
  await t?.close();
  await stripe?.close();
});

const logsTo = (to: string, key: string) => sqlRows<{ locale: string; status: string }>(t, `select locale, status from email_logs where "to" = '${to}' and template_key = '${key}'`);
const outboxTo = (to: string) => sqlRows<{ subject: string; body: string }>(t, `select subject, body from outbox_messages where "to" = '${to}' order by created_at, id`);

describe('payment_receipt', () => {
  it('is sent once when a manual payment completes, in the buyer’s locale', async () => {
    const u = await signUp(t.app);
    expect((await call(t.app, 'PATCH', '/api/v1/me/preferences', { token: u.access_token, body: { locale: 'fa' } })).statusCode).toBe(200);
    const res = await call(t.app, 'POST', '/api/v1/billing/checkout', { token: u.access_token, body: { package_id: pro.id, provider: 'manual' } });
    const id = res.data.payment.id as string;
    expect((await logsTo(u.user.email!, 'payment_receipt'))).toEqual([]);
    expect((await call(t.app, 'POST', `/api/v1/billing/manual/${id}/complete`, { token: u.access_token })).statusCode).toBe(200);
    expect((await call(t.app, 'POST', `/api/v1/billing/manual/${id}/complete`, { token: u.access_token })).statusCode).toBe(200);
    expect(await logsTo(u.user.email!, 'payment_receipt')).toEqual([{ locale: 'fa', status: 'sent' }]);
    const mail = (await outboxTo(u.user.email!)).at(-1)!;
    expect(mail.body).toContain(id);
    expect(mail.body).toContain(`${(pro.amount_minor / 100).toFixed(2)} ${pro.currency}`);
  });

  it('is sent once for a Stripe payment however often its event is delivered', async () => {
    const u = await signUp(t.app);
    const res = await call(t.app, 'POST', '/api/v1/billing/checkout', { token: u.access_token, body: { package_id: pro.id, provider: 'stripe' } });
    const session = [...stripe.sessions.values()].find((s) => s.client_reference_id === res.data.payment.id)!;
    const ev = stripe.event('checkout.session.completed', stripe.pay(session.id).session);
    await Promise.all([deliverStripeEvent(t.app, ev), deliverStripeEvent(t.app, ev)]);
    expect((await deliverStripeEvent(t.app, ev)).data.outcome).toBe('duplicate');
    expect(await logsTo(u.user.email!, 'payment_receipt')).toEqual([{ locale: 'en', status: 'sent' }]);
  });

  it('is not sent for a payment that does not complete', async () => {
    const u = await signUp(t.app);
    const res = await call(t.app, 'POST', '/api/v1/billing/checkout', { token: u.access_token, body: { package_id: pro.id, provider: 'stripe' } });
    const session = [...stripe.sessions.values()].find((s) => s.client_reference_id === res.data.payment.id)!;
    session.status = 'expired';
    expect((await deliverStripeEvent(t.app, stripe.event('checkout.session.expired', session))).statusCode).toBe(200);
    expect(await logsTo(u.user.email!, 'payment_receipt')).toEqual([]);
  });
});

describe('export_ready', () => {
  it('is sent when the export job finishes, with a link that downloads the zip', async () => {
    const u = await signUp(t.app);
    const exp = await call(t.app, 'POST', '/api/v1/me/export', { token: u.access_token });
    expect(exp.statusCode, exp.body).toBe(202);
    expect(await logsTo(u.user.email!, 'export_ready')).toEqual([]);
    await t.modules.privacy.exports.run(exp.data.id, { retryCount: 0, log: createLogger('silent') });
    expect(await logsTo(u.user.email!, 'export_ready')).toEqual([{ locale: 'en', status: 'sent' }]);
    const mail = (await outboxTo(u.user.email!)).at(-1)!;
    const link = /(https?:\/\/\S+\/download\?\S+)/.exec(mail.body)?.[1];
    expect(link, mail.body).toBeDefined();
    const res = await t.app.inject({ method: 'GET', url: link!.slice(link!.indexOf('/api/')) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/zip');
  });
});
