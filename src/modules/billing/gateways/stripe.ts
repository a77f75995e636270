/**
 * Stripe Checkout as a PaymentGateway. A package, a gift card or a one-off plan opens a `payment`
 * mode session; a plan with a month or year period opens a `subscription` mode session, which
 * Stripe then renews by itself. The payment id travels as `client_reference_id` and in the
 * metadata of the session, its payment intent and its subscription, so every later event leads
 * back to it. Completion arrives by webhook (stripe-webhooks.service.ts), never here.
 */
import type Stripe from 'stripe';
import type { z } from 'zod';
import type { Logger } from '../../../platform/logger.ts';
import type { CheckoutRequest, CheckoutSession, PaymentGateway } from './gateway.ts';
import { stripeFailure, ZInvoicePayments, ZRefund, ZSubscription } from './stripe-client.ts';

type SessionParams = Stripe.Checkout.SessionCreateParams;

function lineItem(request: CheckoutRequest, recurring: boolean): Stripe.Checkout.SessionCreateParams.LineItem {
  const { payment, item } = request;
  const priceId = item.providerPriceIds.stripe;
  if (priceId) return { price: priceId, quantity: 1 };
  // The list price, like a configured price id would be: a coupon's discount is a Stripe coupon on top (see discounts()).
  const listPrice = payment.amountMinor + payment.discountMinor;
  return {
    quantity: 1,
    price_data: {
      currency: payment.currency.toLowerCase(),
      unit_amount: listPrice,
      product_data: { name: item.name },
      ...(recurring ? { recurring: { interval: item.billingPeriod as 'month' | 'year' } } : {}),
    },
  };
}

/** Stripe's gateway with what only Stripe does here: money taken by a renewal it should not have made goes back. */
export interface StripeGateway extends PaymentGateway {
  cancelNow(providerSubscriptionId: string): Promise<void>;
  /** Refunds what a paid invoice took, in full, once (keyed by the invoice). */
  refundInvoice(invoiceId: string, reason: 'duplicate' | 'requested_by_customer'): Promise<void>;
  /**
   * Refunds `amountMinor` of what a payment took: `reference` is its payment intent (`pi_…`) or,
   * for a subscription payment, its invoice (`in_…`). Keyed by our refund id, so the SDK's retry
   * never refunds twice.
   */
  refundPayment(r: { reference: string; amountMinor: number; refundId: string; paymentId: string }): Promise<{ id: string; amount: number }>;
}

/** What paid an invoice (its payment intent, or its charge), from the invoice with `payments` expanded. */
function invoiceTarget(invoice: z.infer<typeof ZInvoicePayments>): { payment_intent: string } | { charge: string } {
  const paid = invoice.payments?.data.find((p) => p.status === 'paid' && (p.payment.payment_intent || p.payment.charge));
  if (!paid) throw new Error(`invoice ${invoice.id} is paid but names no payment to refund`);
  return paid.payment.payment_intent ? { payment_intent: paid.payment.payment_intent } : { charge: paid.payment.charge! };
}

/** A subscription that bills nothing more: nothing to cancel. */
const ENDED = new Set(['canceled', 'incomplete_expired']);

export function createStripeGateway(deps: { stripe: Stripe; log: Logger }): StripeGateway {
  const { stripe, log } = deps;

  /**
   * Our coupon's discount as a one-off Stripe coupon: in `subscription` mode it then applies to the
   * first invoice only (`duration: once`), as our coupon applies to this payment only.
   */
  async function discounts(request: CheckoutRequest): Promise<Stripe.Checkout.SessionCreateParams.Discount[] | undefined> {
    const { payment } = request;
    if (payment.discountMinor === 0) return undefined;
    const coupon = await stripe.coupons.create(
      { amount_off: payment.discountMinor, currency: payment.currency.toLowerCase(), duration: 'once', max_redemptions: 1, metadata: { payment_id: payment.id } },
      { idempotencyKey: `atelier-coupon-${payment.id}` },
    );
    return [{ coupon: coupon.id }];
  }

  async function startCheckout(request: CheckoutRequest): Promise<CheckoutSession> {
    const { payment, item } = request;
    const recurring = item.kind === 'plan' && item.billingPeriod !== 'none';
    const metadata = { payment_id: payment.id };
    try {
      const params: SessionParams = {
        mode: recurring ? 'subscription' : 'payment',
        line_items: [lineItem(request, recurring)],
        success_url: request.returnUrl,
        cancel_url: request.returnUrl,
        client_reference_id: payment.id,
        metadata,
        ...(request.customerEmail ? { customer_email: request.customerEmail } : {}),
        ...(recurring ? { subscription_data: { metadata } } : { payment_intent_data: { metadata } }),
      };
      const discount = await discounts(request);
      if (discount) params.discounts = discount;
      // The payment id is new for every checkout, so the key only guards the SDK's own retry.
      const session = await stripe.checkout.sessions.create(params, { idempotencyKey: `atelier-checkout-${payment.id}` });
      if (!session.url) throw new Error('Stripe returned a checkout session without a url');
      return { providerPaymentId: session.id, redirectUrl: session.url };
    } catch (err) {
      throw stripeFailure(err, 'open the checkout', log);
    }
  }

  async function cancelAtPeriodEnd(providerSubscriptionId: string): Promise<void> {
    try {
      await stripe.subscriptions.update(providerSubscriptionId, { cancel_at_period_end: true });
    } catch (err) {
      throw stripeFailure(err, 'cancel the subscription', log);
    }
  }

  async function cancelNow(providerSubscriptionId: string): Promise<void> {
    try {
      const sub = ZSubscription.parse(await stripe.subscriptions.retrieve(providerSubscriptionId));
      if (ENDED.has(sub.status)) return;
      await stripe.subscriptions.cancel(providerSubscriptionId).catch(async (err: unknown) => {
        // A concurrent caller (a repeated event) may have cancelled it in between: ended is what was asked.
        if (!ENDED.has(ZSubscription.parse(await stripe.subscriptions.retrieve(providerSubscriptionId)).status)) throw err;
      });
    } catch (err) {
      throw stripeFailure(err, 'cancel the subscription', log);
    }
  }

  async function refundInvoice(invoiceId: string, reason: 'duplicate' | 'requested_by_customer'): Promise<void> {
    try {
      // Since API version 2025-03-31 an invoice names its payment intent (or charge) only in its expanded `payments`.
      const invoice = ZInvoicePayments.parse(await stripe.invoices.retrieve(invoiceId, { expand: ['payments'] }));
      if (invoice.amount_paid === 0) return;
      const target = invoiceTarget(invoice);
      // The key makes a repeated webhook delivery get the first refund back instead of refunding twice.
      await stripe.refunds.create({ ...target, reason, metadata: { invoice_id: invoiceId } }, { idempotencyKey: `atelier-refund-${invoiceId}` }).catch((err: unknown) => {
        // Refunded already (by a concurrent delivery, or by hand in the dashboard): the money is back.
        if ((err as { code?: string }).code !== 'charge_already_refunded') throw err;
      });
    } catch (err) {
      throw stripeFailure(err, 'refund the invoice', log);
    }
  }

  /** The payment intent (or charge) behind a reference: an intent is itself; an invoice names it in its expanded payments. */
  async function paidTarget(reference: string): Promise<{ payment_intent: string } | { charge: string }> {
    if (!reference.startsWith('in_')) return { payment_intent: reference };
    return invoiceTarget(ZInvoicePayments.parse(await stripe.invoices.retrieve(reference, { expand: ['payments'] })));
  }

  async function refundPayment(r: { reference: string; amountMinor: number; refundId: string; paymentId: string }): Promise<{ id: string; amount: number }> {
    try {
      const target = await paidTarget(r.reference);
      const made = await stripe.refunds.create(
        { ...target, amount: r.amountMinor, reason: 'requested_by_customer', metadata: { refund_id: r.refundId, payment_id: r.paymentId } },
        { idempotencyKey: `atelier-refund-${r.refundId}` },
      );
      return ZRefund.parse(made);
    } catch (err) {
      throw stripeFailure(err, 'refund the payment', log);
    }
  }

  return { provider: 'stripe', startCheckout, cancelAtPeriodEnd, cancelNow, refundInvoice, refundPayment };
}
