/**
 * The Stripe API as billing uses it: the official SDK pointed at STRIPE_API_BASE, its failures
 * mapped onto one 502 `payment_provider_error`, and the objects it returns checked with zod (a
 * provider response is a trust boundary) down to the fields billing reads.
 */
import Stripe from 'stripe';
import { z } from 'zod';
import type { Config } from '../../../config.ts';
import { errors, type AppError } from '../../../platform/http/errors.ts';
import type { Logger } from '../../../platform/logger.ts';

export type StripeConfig = NonNullable<Config['payments']['stripe']>;

/**
 * A short timeout and one retry bound how long a request waits on a Stripe outage. No database
 * transaction is open meanwhile (decision 055): a slow Stripe holds up only its own request.
 */
const TIMEOUT_MS = 10_000;

export function createStripeClient(config: StripeConfig): Stripe {
  const base = new URL(config.apiBase);
  const protocol = base.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(config.secretKey, {
    host: base.hostname,
    port: base.port || (protocol === 'http' ? 80 : 443),
    protocol,
    timeout: TIMEOUT_MS,
    maxNetworkRetries: 1,
    telemetry: false,
    appInfo: { name: 'Atelier' },
  });
}

interface StripeFailure {
  type?: string;
  statusCode?: number;
  code?: string;
  requestId?: string;
  message?: string;
}

/**
 * One 502 for every way Stripe can fail a request, with a detail that says whether trying again
 * may help. Stripe's own message stays in the log: it names prices and keys, which the buyer
 * cannot act on.
 */
export function stripeFailure(err: unknown, what: string, log: Logger): AppError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as StripeFailure;
  const context = { type: e.type, status: e.statusCode, stripeCode: e.code, requestId: e.requestId, stripeMessage: e.message, what };
  if (e.type === 'StripeConnectionError') {
    log.warn(context, 'stripe: could not be reached');
    return errors.paymentProvider(`Stripe could not be reached to ${what}; try again shortly.`);
  }
  if (e.type === 'StripeRateLimitError' || e.type === 'StripeAPIError' || (e.statusCode ?? 0) >= 500) {
    log.warn(context, 'stripe: unavailable');
    return errors.paymentProvider(`Stripe is unavailable and could not ${what}; try again shortly.`);
  }
  if (e.type === 'StripeAuthenticationError' || e.type === 'StripePermissionError') {
    log.error(context, 'stripe: the secret key was refused (check STRIPE_SECRET_KEY)');
    return errors.paymentProvider(`Stripe refused to ${what}: the payment provider is misconfigured.`);
  }
  if (e.type?.startsWith('Stripe')) {
    log.error(context, 'stripe: request refused');
    return errors.paymentProvider(`Stripe refused to ${what}.`);
  }
  if (err instanceof z.ZodError) {
    log.error({ what, issues: err.issues }, 'stripe: unexpected response shape');
    return errors.paymentProvider(`Stripe answered in an unexpected shape and could not ${what}.`);
  }
  log.error({ err, what }, 'stripe: request failed');
  return errors.paymentProvider(`Stripe could not ${what}.`);
}

/** An expandable field: an id, or the object (which has one), or nothing. */
const ZRef = z.union([z.string(), z.object({ id: z.string() })]).nullish().transform((v) => (typeof v === 'string' ? v : v?.id ?? null));
const ZMetadata = z.record(z.string(), z.string()).nullish().transform((v) => v ?? {});

export const ZCheckoutSession = z.object({
  id: z.string(),
  url: z.string().nullish(),
  status: z.string().nullish(),
  payment_status: z.string(),
  mode: z.string(),
  client_reference_id: z.string().nullish(),
  metadata: ZMetadata,
  subscription: ZRef,
  invoice: ZRef,
  payment_intent: ZRef,
});
export type TCheckoutSession = z.infer<typeof ZCheckoutSession>;

export const ZSubscription = z.object({
  id: z.string(),
  status: z.string(),
  cancel_at_period_end: z.boolean(),
  metadata: ZMetadata,
  cancellation_details: z.object({ reason: z.string().nullish() }).nullish(),
  // Since API version 2025-03-31 the period lives on each item; a subscription here has one item.
  items: z.object({ data: z.array(z.object({ current_period_start: z.number().int(), current_period_end: z.number().int() })) }),
});
export type TSubscription = z.infer<typeof ZSubscription>;

export const ZInvoice = z.object({
  id: z.string(),
  status: z.string().nullish(),
  billing_reason: z.string().nullish(),
  amount_paid: z.number().int(),
  currency: z.string(),
  parent: z.object({ subscription_details: z.object({ subscription: ZRef, metadata: ZMetadata }).nullish() }).nullish(),
  lines: z.object({
    data: z.array(
      z.object({
        period: z.object({ start: z.number().int(), end: z.number().int() }),
        parent: z.object({ subscription_item_details: z.unknown().nullish() }).nullish(),
      }),
    ),
  }),
});
export type TInvoice = z.infer<typeof ZInvoice>;

/** An invoice with `payments` expanded: how it was paid, for a refund. */
export const ZInvoicePayments = z.object({
  id: z.string(),
  amount_paid: z.number().int(),
  payments: z
    .object({
      data: z.array(z.object({ status: z.string(), payment: z.object({ payment_intent: ZRef, charge: ZRef }) })),
    })
    .nullish(),
});

export const ZRefund = z.object({
  id: z.string(),
  amount: z.number().int(),
  status: z.string().nullish(),
  created: z.number().int().optional(),
  metadata: ZMetadata,
});
export type TRefund = z.infer<typeof ZRefund>;

/** A charge with its refunds expanded: what `charge.refunded` is about. */
export const ZCharge = z.object({
  id: z.string(),
  amount: z.number().int(),
  amount_refunded: z.number().int(),
  currency: z.string(),
  payment_intent: ZRef,
  refunds: z.object({ data: z.array(ZRefund) }).nullish(),
});
export type TCharge = z.infer<typeof ZCharge>;

export const ZDispute = z.object({
  id: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  status: z.string(),
  reason: z.string().nullish(),
  charge: ZRef,
  payment_intent: ZRef,
});
export type TDispute = z.infer<typeof ZDispute>;

export const fromUnix = (seconds: number): Date => new Date(seconds * 1000);

/** The reads billing trusts: each object fetched fresh from Stripe, never taken from an event body. */
export function createStripeReader(stripe: Stripe, log: Logger) {
  async function read<T>(what: string, fetch: () => Promise<unknown>, schema: z.ZodType<T>): Promise<T> {
    try {
      return schema.parse(await fetch());
    } catch (err) {
      throw stripeFailure(err, what, log);
    }
  }
  return {
    checkoutSession: (id: string) => read('read the checkout session', () => stripe.checkout.sessions.retrieve(id), ZCheckoutSession),
    subscription: (id: string) => read('read the subscription', () => stripe.subscriptions.retrieve(id), ZSubscription),
    invoice: (id: string) => read('read the invoice', () => stripe.invoices.retrieve(id), ZInvoice),
    charge: (id: string) => read('read the charge', () => stripe.charges.retrieve(id, { expand: ['refunds'] }), ZCharge),
    dispute: (id: string) => read('read the dispute', () => stripe.disputes.retrieve(id), ZDispute),
  };
}
export type StripeReader = ReturnType<typeof createStripeReader>;
