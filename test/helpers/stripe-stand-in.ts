/**
 * A local stand-in for the parts of Stripe's API that billing uses, on node:http, spoken to by the
 * real `stripe` SDK: form-encoded requests with a bearer secret key, JSON answers in the documented
 * shapes of checkout sessions, subscriptions (period on the items; cancelled at once by DELETE),
 * invoices (subscription under `parent.subscription_details`, the paid period on the line, the
 * payment intent under `payments` when expanded), charges (one per paid payment intent, with their
 * refunds when expanded), refunds (by payment_intent or charge, in full or in part up to what is
 * left, replayed for a repeated Idempotency-Key), disputes and coupons, and Stripe's error shape
 * (`{ error: { type, message } }` with `Stripe-Should-Retry`). It records every request it gets.
 * Tests move its objects along (pay, renew, cancel) and sign events with the SDK's test helper.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import type { Database } from '../../src/platform/db/database.ts';
import { countRows } from './accounts.ts';
import { call } from './app.ts';

export interface ReceivedRequest {
  method: string;
  path: string;
  form: Record<string, string>;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
}

type Obj = Record<string, any>;

const DAY = 86_400;
const id = (prefix: string) => `${prefix}_test_${randomBytes(9).toString('hex')}`;
const unix = (d: Date) => Math.floor(d.getTime() / 1000);

export interface StripeStandIn {
  url: string;
  secretKey: string;
  webhookSecret: string;
  received: ReceivedRequest[];
  sessions: Map<string, Obj>;
  subscriptions: Map<string, Obj>;
  invoices: Map<string, Obj>;
  refunds: Map<string, Obj>;
  charges: Map<string, Obj>;
  /** The charge behind a payment intent (made on first need), as `charge.*` events carry it. */
  charge(paymentIntent: string): Obj;
  /** A refund made outside the app (the dashboard): `amount` of the charge, or what is left of it. */
  refundInDashboard(paymentIntent: string, amount?: number): Obj;
  /** A dispute of the payment intent's charge, with `status` (`needs_response`, `lost`, `won`, …); the same id moves it on. */
  dispute(paymentIntent: string, status: string, disputeId?: string): Obj;
  /** Prices the account has, for checkouts that name a price id. */
  prices: Map<string, { unit_amount: number; currency: string; interval?: 'month' | 'year' }>;
  /** The next matching requests are refused with this error (Stripe's shape), or the connection is cut. */
  failNext(match: RegExp, failure: { status: number; type: string; message: string; code?: string } | 'hang-up', times?: number): void;
  /**
   * The next matching request waits before it is answered, as a slow Stripe would: `arrived` settles
   * when it comes in, and it is answered on `release()` (or by itself after `releaseAfterMs`, so a
   * test that finds the app stuck behind it still ends).
   */
  holdNext(match: RegExp, releaseAfterMs?: number): { arrived: Promise<void>; release(): void };
  /** The buyer paid: the session completes; in subscription mode its subscription and first invoice exist. */
  pay(sessionId: string, opts?: { now?: Date; paymentStatus?: 'paid' | 'unpaid' }): { session: Obj; subscription?: Obj; invoice?: Obj };
  /** A renewal: the subscription moves to its next period and a paid `subscription_cycle` invoice is issued. */
  renew(subscriptionId: string): Obj;
  /** A signed webhook delivery for `object` as an event of `type`. */
  event(type: string, object: Obj, eventId?: string): { payload: string; signature: string; id: string };
  close(): Promise<void>;
}

function parseForm(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

function stripeError(res: http.ServerResponse, status: number, type: string, message: string, code?: string) {
  res.writeHead(status, { 'content-type': 'application/json', 'stripe-should-retry': 'false', 'request-id': id('req') });
  res.end(JSON.stringify({ error: { type, message, ...(code ? { code } : {}) } }));
}

export async function startStripeStandIn(): Promise<StripeStandIn> {
  const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
  const webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
  const received: ReceivedRequest[] = [];
  const sessions = new Map<string, Obj>();
  const subscriptions = new Map<string, Obj>();
  const invoices = new Map<string, Obj>();
  const coupons = new Map<string, Obj>();
  const refunds = new Map<string, Obj>();
  const charges = new Map<string, Obj>();
  const disputes = new Map<string, Obj>();
  const idempotentAnswers = new Map<string, Obj>();
  const prices = new Map<string, { unit_amount: number; currency: string; interval?: 'month' | 'year' }>();
  const failures: { match: RegExp; failure: Parameters<StripeStandIn['failNext']>[1]; left: number }[] = [];
  const signer = new Stripe('sk_test_signer');
  const holds: { match: RegExp; arrive: () => void; released: Promise<void>; taken: boolean }[] = [];

  function createSession(form: Record<string, string>): Obj {
    const sessionId = id('cs');
    const priceId = form['line_items[0][price]'];
    const price = priceId ? prices.get(priceId) : undefined;
    const unitAmount = price ? price.unit_amount : Number(form['line_items[0][price_data][unit_amount]']);
    const couponId = form['discounts[0][coupon]'];
    const off = couponId ? (coupons.get(couponId)?.amount_off ?? 0) : 0;
    const metadata: Obj = {};
    for (const [k, v] of Object.entries(form)) {
      const m = /^metadata\[(.+)\]$/.exec(k);
      if (m) metadata[m[1]!] = v;
    }
    const subscriptionMetadata: Obj = {};
    for (const [k, v] of Object.entries(form)) {
      const m = /^subscription_data\[metadata\]\[(.+)\]$/.exec(k);
      if (m) subscriptionMetadata[m[1]!] = v;
    }
    const session = {
      id: sessionId,
      object: 'checkout.session',
      url: `https://checkout.stripe.test/c/pay/${sessionId}`,
      status: 'open',
      payment_status: 'unpaid',
      mode: form.mode,
      client_reference_id: form.client_reference_id ?? null,
      customer_email: form.customer_email ?? null,
      metadata,
      amount_subtotal: unitAmount,
      amount_total: Math.max(0, unitAmount - off),
      currency: price?.currency ?? form['line_items[0][price_data][currency]'],
      success_url: form.success_url,
      cancel_url: form.cancel_url,
      subscription: null,
      invoice: null,
      payment_intent: null,
      customer: null,
      created: unix(new Date()),
      expires_at: unix(new Date()) + DAY,
      livemode: false,
      // Not part of Stripe's object: what a subscription created from this session would carry.
      _subscription_metadata: subscriptionMetadata,
      _interval: price?.interval ?? form['line_items[0][price_data][recurring][interval]'],
    };
    sessions.set(sessionId, session);
    return session;
  }

  function publicView(o: Obj): Obj {
    return Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('_')));
  }

  function newInvoice(sub: Obj, reason: string, start: number, end: number, amount: number, currency: string): Obj {
    const invoice = {
      id: id('in'),
      object: 'invoice',
      status: 'paid',
      billing_reason: reason,
      amount_due: amount,
      amount_paid: amount,
      amount_remaining: 0,
      currency,
      customer: sub.customer,
      // Stripe's invoice period looks one period back for subscription invoices.
      period_start: reason === 'subscription_create' ? start : start - (end - start),
      period_end: start,
      parent: { type: 'subscription_details', quote_details: null, subscription_details: { metadata: sub.metadata, subscription: sub.id } },
      lines: {
        object: 'list',
        has_more: false,
        url: '/v1/invoices/lines',
        data: [
          {
            id: id('il'),
            object: 'line_item',
            amount,
            currency,
            period: { start, end },
            parent: {
              type: 'subscription_item_details',
              invoice_item_details: null,
              subscription_item_details: { subscription: sub.id, subscription_item: sub.items.data[0].id, proration: false, invoice_item: null },
            },
          },
        ],
      },
      created: start,
      // Not part of Stripe's object as retrieved: what `expand[]=payments` shows.
      _payment_intent: amount > 0 ? id('pi') : null,
    };
    invoices.set(invoice.id, invoice);
    sub.latest_invoice = invoice.id;
    return invoice;
  }

  function periodEnd(start: number, interval: string): number {
    const d = new Date(start * 1000);
    if (interval === 'year') d.setUTCFullYear(d.getUTCFullYear() + 1);
    else d.setUTCMonth(d.getUTCMonth() + 1);
    return unix(d);
  }

  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      const form = parseForm(body);
      received.push({
        method: req.method!,
        path,
        form,
        idempotencyKey: req.headers['idempotency-key'] as string | undefined,
        authorization: req.headers.authorization,
      });
      const hold = holds.find((h) => !h.taken && h.match.test(`${req.method} ${path}`));
      if (hold) {
        hold.taken = true;
        hold.arrive();
        void hold.released.then(() => answer(req, res, path, form));
        return;
      }
      answer(req, res, path, form);
    });
  });

  function expanded(invoice: Obj, query: URLSearchParams): Obj {
    const expand = [...query.entries()].filter(([k]) => k.startsWith('expand')).map(([, v]) => v);
    if (!expand.includes('payments')) return invoice;
    const data = invoice._payment_intent
      ? [{ id: id('inpay'), object: 'invoice_payment', invoice: invoice.id, status: 'paid', is_default: true, amount_paid: invoice.amount_paid, currency: invoice.currency, payment: { type: 'payment_intent', payment_intent: invoice._payment_intent } }]
      : [];
    return { ...invoice, payments: { object: 'list', has_more: false, url: '/v1/invoice_payments', data } };
  }

  /** The charge behind a payment intent (a one-off session's or an invoice's), made on first need. */
  function chargeFor(intent: string): Obj | undefined {
    const known = [...charges.values()].find((c) => c.payment_intent === intent);
    if (known) return known;
    const session = [...sessions.values()].find((x) => x.payment_intent === intent);
    const invoice = [...invoices.values()].find((i) => i._payment_intent === intent);
    if (!session && !invoice) return undefined;
    const charge = {
      id: id('ch'),
      object: 'charge',
      amount: session ? session.amount_total : invoice!.amount_paid,
      amount_refunded: 0,
      currency: session ? session.currency : invoice!.currency,
      payment_intent: intent,
      paid: true,
      refunded: false,
      status: 'succeeded',
      created: unix(new Date()),
    };
    charges.set(charge.id, charge);
    return charge;
  }

  function makeRefund(charge: Obj, amount: number, reason: string | null, metadata: Obj): Obj {
    const made = { id: id('re'), object: 'refund', amount, currency: charge.currency, payment_intent: charge.payment_intent, charge: charge.id, reason, status: 'succeeded', metadata, created: unix(new Date()) };
    refunds.set(made.id, made);
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    return made;
  }

  function refund(res: http.ServerResponse, form: Record<string, string>, key: string | undefined, json: (o: Obj) => void): void {
    if (key && idempotentAnswers.has(`refund:${key}`)) return json(idempotentAnswers.get(`refund:${key}`)!);
    const intent = form.payment_intent;
    const charge = intent ? chargeFor(intent) : form.charge ? charges.get(form.charge) : undefined;
    if (!charge) return stripeError(res, 400, 'invalid_request_error', `No such payment_intent: '${intent ?? form.charge}'`, 'resource_missing');
    const left = charge.amount - charge.amount_refunded;
    if (left === 0) return stripeError(res, 400, 'invalid_request_error', `Charge ${charge.id} has already been refunded.`, 'charge_already_refunded');
    const amount = form.amount === undefined ? left : Number(form.amount);
    if (amount > left) return stripeError(res, 400, 'invalid_request_error', `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, 'amount_too_large');
    const metadata: Obj = {};
    for (const [k, v] of Object.entries(form)) {
      const m = /^metadata\[(.+)\]$/.exec(k);
      if (m) metadata[m[1]!] = v;
    }
    const made = makeRefund(charge, amount, form.reason ?? null, metadata);
    if (key) idempotentAnswers.set(`refund:${key}`, made);
    return json(made);
  }

  function chargeView(charge: Obj, query: URLSearchParams): Obj {
    const expand = [...query.entries()].filter(([k]) => k.startsWith('expand')).map(([, v]) => v);
    if (!expand.includes('refunds')) return charge;
    const data = [...refunds.values()].filter((r) => r.charge === charge.id).sort((a, b) => b.created - a.created);
    return { ...charge, refunds: { object: 'list', has_more: false, url: `/v1/charges/${charge.id}/refunds`, data } };
  }

  function answer(req: http.IncomingMessage, res: http.ServerResponse, path: string, form: Record<string, string>): void {
    {
      const failure = failures.find((f) => f.left > 0 && f.match.test(`${req.method} ${path}`));
      if (failure) {
        failure.left--;
        if (failure.failure === 'hang-up') {
          req.socket.destroy();
          return;
        }
        return stripeError(res, failure.failure.status, failure.failure.type, failure.failure.message, failure.failure.code);
      }
      if (req.headers.authorization !== `Bearer ${secretKey}`) return stripeError(res, 401, 'invalid_request_error', 'Invalid API Key provided.');
      const json = (o: Obj) => {
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': id('req') });
        res.end(JSON.stringify(publicView(o)));
      };
      let m: RegExpExecArray | null;
      if (req.method === 'POST' && path === '/v1/checkout/sessions') return json(createSession(form));
      if (req.method === 'POST' && path === '/v1/refunds') return refund(res, form, req.headers['idempotency-key'] as string | undefined, json);
      if (req.method === 'POST' && path === '/v1/coupons') {
        const coupon = { id: id('co'), object: 'coupon', amount_off: Number(form.amount_off), currency: form.currency, duration: form.duration, max_redemptions: Number(form.max_redemptions), valid: true };
        coupons.set(coupon.id, coupon);
        return json(coupon);
      }
      if (req.method === 'GET' && (m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path))) {
        const s = sessions.get(m[1]!);
        return s ? json(s) : stripeError(res, 404, 'invalid_request_error', `No such checkout.session: '${m[1]}'`, 'resource_missing');
      }
      if (req.method === 'GET' && (m = /^\/v1\/charges\/([^/]+)$/.exec(path))) {
        const c = charges.get(m[1]!);
        return c ? json(chargeView(c, new URL(req.url ?? '', 'http://stand-in').searchParams)) : stripeError(res, 404, 'invalid_request_error', `No such charge: '${m[1]}'`, 'resource_missing');
      }
      if (req.method === 'GET' && (m = /^\/v1\/disputes\/([^/]+)$/.exec(path))) {
        const d = disputes.get(m[1]!);
        return d ? json(d) : stripeError(res, 404, 'invalid_request_error', `No such dispute: '${m[1]}'`, 'resource_missing');
      }
      if ((m = /^\/v1\/subscriptions\/([^/]+)$/.exec(path))) {
        const sub = subscriptions.get(m[1]!);
        if (!sub) return stripeError(res, 404, 'invalid_request_error', `No such subscription: '${m[1]}'`, 'resource_missing');
        if (req.method === 'DELETE') {
          if (sub.status === 'canceled') return stripeError(res, 400, 'invalid_request_error', `This subscription is already canceled: '${sub.id}'`);
          const now = unix(new Date());
          Object.assign(sub, { status: 'canceled', canceled_at: now, ended_at: now, cancellation_details: { comment: null, feedback: null, reason: 'cancellation_requested' } });
        }
        if (req.method === 'POST' && form.cancel_at_period_end !== undefined) {
          sub.cancel_at_period_end = form.cancel_at_period_end === 'true';
          sub.cancel_at = sub.cancel_at_period_end ? sub.items.data[0].current_period_end : null;
        }
        return json(sub);
      }
      if (req.method === 'GET' && (m = /^\/v1\/invoices\/([^/]+)$/.exec(path))) {
        const inv = invoices.get(m[1]!);
        return inv ? json(expanded(inv, new URL(req.url ?? '', 'http://stand-in').searchParams)) : stripeError(res, 404, 'invalid_request_error', `No such invoice: '${m[1]}'`, 'resource_missing');
      }
      return stripeError(res, 404, 'invalid_request_error', `Unrecognized request URL (${req.method}: ${path}).`);
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    secretKey,
    webhookSecret,
    received,
    sessions,
    subscriptions,
    invoices,
    refunds,
    charges,
    charge(paymentIntent) {
      return chargeFor(paymentIntent)!;
    },
    refundInDashboard(paymentIntent, amount) {
      const charge = chargeFor(paymentIntent)!;
      return makeRefund(charge, amount ?? charge.amount - charge.amount_refunded, 'requested_by_customer', {});
    },
    dispute(paymentIntent, status, disputeId = id('dp')) {
      const charge = chargeFor(paymentIntent)!;
      const dispute = { id: disputeId, object: 'dispute', amount: charge.amount, currency: charge.currency, status, reason: 'fraudulent', charge: charge.id, payment_intent: paymentIntent, created: unix(new Date()) };
      disputes.set(dispute.id, dispute);
      return dispute;
    },
    prices,
    failNext(match, failure, times = 1) {
      failures.push({ match, failure, left: times });
    },
    holdNext(match, releaseAfterMs = 5_000) {
      let arrive!: () => void;
      let release!: () => void;
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      const timer = setTimeout(release, releaseAfterMs);
      holds.push({ match, arrive, released, taken: false });
      return {
        arrived,
        release() {
          clearTimeout(timer);
          release();
        },
      };
    },
    pay(sessionId, opts = {}) {
      const session = sessions.get(sessionId)!;
      const now = unix(opts.now ?? new Date());
      session.status = 'complete';
      session.payment_status = opts.paymentStatus ?? 'paid';
      session.customer = session.customer ?? id('cus');
      if (session.mode === 'payment') {
        session.payment_intent = id('pi');
        return { session };
      }
      const sub = {
        id: id('sub'),
        object: 'subscription',
        status: 'active',
        customer: session.customer,
        cancel_at_period_end: false,
        cancel_at: null,
        canceled_at: null,
        ended_at: null,
        cancellation_details: { comment: null, feedback: null, reason: null },
        metadata: session._subscription_metadata,
        items: {
          object: 'list',
          has_more: false,
          url: '/v1/subscription_items',
          data: [{ id: id('si'), object: 'subscription_item', quantity: 1, current_period_start: now, current_period_end: periodEnd(now, session._interval) }],
        },
        latest_invoice: null as string | null,
        start_date: now,
        created: now,
        livemode: false,
        _amount: session.amount_subtotal,
        _currency: session.currency,
        _interval: session._interval,
      };
      subscriptions.set(sub.id, sub);
      const invoice = newInvoice(sub, 'subscription_create', now, sub.items.data[0]!.current_period_end, session.amount_total, session.currency);
      session.subscription = sub.id;
      session.invoice = invoice.id;
      return { session, subscription: sub, invoice };
    },
    renew(subscriptionId) {
      const sub = subscriptions.get(subscriptionId)!;
      const item = sub.items.data[0];
      item.current_period_start = item.current_period_end;
      item.current_period_end = periodEnd(item.current_period_start, sub._interval);
      return newInvoice(sub, 'subscription_cycle', item.current_period_start, item.current_period_end, sub._amount, sub._currency);
    },
    event(type, object, eventId = id('evt')) {
      const payload = JSON.stringify(
        {
          id: eventId,
          object: 'event',
          api_version: '2026-10-28.endive',
          created: unix(new Date()),
          data: { object: publicView(object) },
          livemode: false,
          pending_webhooks: 1,
          request: { id: null, idempotency_key: null },
          type,
        },
        null,
        2,
      );
      return { payload, signature: signer.webhooks.generateTestHeaderString({ payload, secret: webhookSecret }), id: eventId };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The environment that points an app at the stand-in. */
export const stripeEnv = (s: StripeStandIn) => ({ STRIPE_SECRET_KEY: s.secretKey, STRIPE_WEBHOOK_SECRET: s.webhookSecret, STRIPE_API_BASE: s.url });

/** Delivers a signed event to the app's Stripe webhook route, as Stripe would. */
export const deliverStripeEvent = (app: FastifyInstance, d: { payload: string; signature: string }) =>
  call(app, 'POST', '/api/v1/billing/webhooks/stripe', { body: d.payload, headers: { 'content-type': 'application/json', 'stripe-signature': d.signature } });

/** A user's subscription-period grants so far. */
export const planGrantCount = (t: { database: Database }, userId: string) =>
  countRows(t, `select count(*) as n from credit_transactions where user_id = '${userId}' and type = 'subscription_grant'`);
