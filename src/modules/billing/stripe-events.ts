/**
 * What each handled Stripe event does. Every handler first re-reads the object the event names
 * from Stripe (outside any transaction: no network call holds the database) and trusts only that
 * copy; it then returns either an outcome to record or an `apply` that runs in the transaction
 * which also records the event id.
 *
 * The first period of a subscription belongs to the checkout's payment: `checkout.session.completed`
 * and the first invoice's `invoice.paid` (billing_reason `subscription_create`) both complete that
 * one payment, and only the first of them to arrive grants. Every later paid invoice gets its own
 * payment row, keyed by the invoice id, and grants once under `payment:<its id>`.
 */
import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { Tx } from '../../platform/db/types.ts';
import * as cat from './offers.queries.ts';
import type { PaymentCompletion, Fulfilment, GiftCardIssued, GatewaySettlement } from './fulfilment.ts';
import { fromUnix, type StripeReader, type TCheckoutSession, type TSubscription } from './gateways/stripe-client.ts';
import * as q from './payments.queries.ts';
import type { SubscriptionStatus } from './payments.tables.ts';
import * as sq from './stripe.queries.ts';

export interface EventOutcome {
  status: 'processed' | 'ignored';
  note?: string;
  /** A gift card this event issued: its code is emailed after the commit. */
  giftCard?: GiftCardIssued;
}

export type PreparedEvent = EventOutcome | { apply: (tx: Tx) => Promise<EventOutcome> };
export type StripeEventHandler = (objectId: string) => Promise<PreparedEvent>;

const ignored = (note: string): EventOutcome => ({ status: 'ignored', note });
const processed = (note?: string): EventOutcome => ({ status: 'processed', note });
const completed = (done: PaymentCompletion): EventOutcome =>
  done.applied ? { status: 'processed', giftCard: done.giftCard } : processed(`the payment was already ${done.payment.status}`);

const isUuid = (v: string | null | undefined): v is string => z.uuid().safeParse(v).success;

const isPaid = (s: TCheckoutSession) => s.status === 'complete' && (s.payment_status === 'paid' || s.payment_status === 'no_payment_required');

function periodOf(sub: TSubscription): GatewaySettlement['providerSubscription'] {
  const item = sub.items.data[0];
  return item ? { id: sub.id, periodStart: fromUnix(item.current_period_start), periodEnd: fromUnix(item.current_period_end) } : undefined;
}

/** Stripe's status as ours: still billing is active; ended at the buyer's request is cancelled; ended otherwise is expired. */
function localStatus(sub: TSubscription, current: SubscriptionStatus): SubscriptionStatus {
  switch (sub.status) {
    case 'active':
    case 'trialing':
    case 'past_due': // Stripe is still retrying the payment
      return 'active';
    case 'canceled':
    case 'incomplete_expired':
      return sub.cancellation_details?.reason === 'cancellation_requested' ? 'cancelled' : 'expired';
    case 'unpaid':
    case 'paused':
      return 'expired';
    default:
      return current;
  }
}

/** The handled event types (the ones to enable on the Stripe webhook endpoint) and their handlers. */
export function createStripeEventHandlers(deps: { reader: StripeReader; fulfilment: Fulfilment; clock: Clock }): ReadonlyMap<string, StripeEventHandler> {
  const { reader, fulfilment } = deps;

  /** Our pending-or-settled Stripe payment a checkout session or subscription names, if it is one of ours. */
  async function stripePayment(tx: Tx, paymentId: string | null | undefined, sessionId?: string) {
    if (!isUuid(paymentId)) return undefined;
    const payment = await q.findPayment(tx, paymentId);
    if (!payment || payment.provider !== 'stripe') return undefined;
    if (sessionId !== undefined && payment.providerPaymentId !== sessionId) return undefined;
    return payment;
  }

  const sessionPaymentId = (s: TCheckoutSession) => s.metadata.payment_id ?? s.client_reference_id;

  /** checkout.session.completed and checkout.session.async_payment_succeeded. */
  async function sessionPaid(sessionId: string): Promise<PreparedEvent> {
    const session = await reader.checkoutSession(sessionId);
    // Delayed methods (bank debits) complete the session unpaid; their async_payment_* event follows.
    if (!isPaid(session)) return processed(`the session is ${session.status ?? 'unknown'} and ${session.payment_status}: waiting for payment`);
    const sub = session.mode === 'subscription' && session.subscription ? await reader.subscription(session.subscription) : undefined;
    return {
      apply: async (tx) => {
        const payment = await stripePayment(tx, sessionPaymentId(session), session.id);
        if (!payment) return ignored('no payment of ours for this checkout session');
        const reference = session.mode === 'subscription' ? session.invoice : session.payment_intent;
        return completed(await fulfilment.complete(tx, payment.id, { providerReference: reference ?? undefined, providerSubscription: sub && periodOf(sub) }));
      },
    };
  }

  async function sessionAsyncFailed(sessionId: string): Promise<PreparedEvent> {
    const session = await reader.checkoutSession(sessionId);
    if (session.payment_status !== 'unpaid') return processed(`the session is ${session.payment_status}, not unpaid`);
    return {
      apply: async (tx) => {
        const payment = await stripePayment(tx, sessionPaymentId(session), session.id);
        if (!payment) return ignored('no payment of ours for this checkout session');
        const failed = await fulfilment.fail(tx, payment.id, 'failed', 'Stripe: the delayed payment failed');
        return failed ? processed() : processed(`the payment was already ${payment.status}`);
      },
    };
  }

  async function sessionExpired(sessionId: string): Promise<PreparedEvent> {
    const session = await reader.checkoutSession(sessionId);
    if (session.status !== 'expired') return processed(`the session is ${session.status ?? 'unknown'}, not expired`);
    return {
      apply: async (tx) => {
        const payment = await stripePayment(tx, sessionPaymentId(session), session.id);
        if (!payment) return ignored('no payment of ours for this checkout session');
        const expired = await fulfilment.fail(tx, payment.id, 'expired', 'Stripe: the checkout session expired');
        return expired ? processed() : processed(`the payment was already ${payment.status}`);
      },
    };
  }

  async function invoicePaid(invoiceId: string): Promise<PreparedEvent> {
    const invoice = await reader.invoice(invoiceId);
    if (invoice.status !== 'paid') return processed(`the invoice is ${invoice.status ?? 'unknown'}, not paid`);
    const details = invoice.parent?.subscription_details;
    if (!details?.subscription) return ignored('not a subscription invoice');
    const sub = await reader.subscription(details.subscription);
    const paymentId = sub.metadata.payment_id ?? details.metadata.payment_id;
    // The invoice's own period_start/end look one period back; its subscription line holds the period paid for.
    const line = invoice.lines.data.find((l) => l.parent?.subscription_item_details) ?? invoice.lines.data[0];
    const period = line ? { id: sub.id, periodStart: fromUnix(line.period.start), periodEnd: fromUnix(line.period.end) } : periodOf(sub);
    return {
      apply: async (tx) => {
        const first = await stripePayment(tx, paymentId);
        if (!first || first.purpose !== 'plan' || !first.planId) return ignored('no plan payment of ours for this subscription');
        if (invoice.billing_reason === 'subscription_create') {
          return completed(await fulfilment.complete(tx, first.id, { providerReference: invoice.id, providerSubscription: period }));
        }
        const plan = await cat.findPlan(tx, first.planId);
        const now = deps.clock.now();
        const renewal = await sq.ensureInvoicePayment(tx, {
          userId: first.userId,
          purpose: 'plan',
          provider: 'stripe',
          providerPaymentId: invoice.id,
          planId: first.planId,
          amountMinor: invoice.amount_paid,
          currency: invoice.currency.toUpperCase(),
          credits: plan?.creditsPerPeriod ?? 0,
          metadata: { stripe_subscription_id: sub.id, renews_payment_id: first.id, billing_reason: invoice.billing_reason ?? null },
          createdAt: now,
          updatedAt: now,
        });
        return completed(await fulfilment.complete(tx, renewal.id, { providerSubscription: period }));
      },
    };
  }

  /** customer.subscription.updated and .deleted: the local row follows Stripe's current state. */
  async function subscriptionChanged(subscriptionId: string): Promise<PreparedEvent> {
    const sub = await reader.subscription(subscriptionId);
    const period = periodOf(sub);
    return {
      apply: async (tx) => {
        const local = await sq.findStripeSubscriptionForUpdate(tx, sub.id);
        // Before its checkout is fulfilled there is no row; fulfilment will read the period from Stripe then.
        if (!local) return ignored('no subscription of ours follows it (yet)');
        const next = {
          status: localStatus(sub, local.status),
          cancelAtPeriodEnd: sub.cancel_at_period_end,
          currentPeriodStart: period?.periodStart ?? local.currentPeriodStart,
          currentPeriodEnd: period?.periodEnd ?? local.currentPeriodEnd,
        };
        const event =
          next.status !== local.status
            ? next.status === 'active' ? 'resumed' : next.status
            : next.cancelAtPeriodEnd !== local.cancelAtPeriodEnd
              ? next.cancelAtPeriodEnd ? 'cancel_requested' : 'resumed'
              : null;
        const periodMoved = next.currentPeriodStart.getTime() !== local.currentPeriodStart.getTime() || next.currentPeriodEnd?.getTime() !== local.currentPeriodEnd?.getTime();
        if (!event && !periodMoved) return processed('nothing changed');
        const now = deps.clock.now();
        const row = await q.updateSubscription(tx, local.id, { ...next, updatedAt: now });
        if (event) {
          await q.insertHistory(tx, { subscriptionId: row.id, userId: row.userId, event, planId: row.planId, periodStart: row.currentPeriodStart, periodEnd: row.currentPeriodEnd, createdAt: now });
        }
        return processed();
      },
    };
  }

  return new Map([
    ['checkout.session.completed', sessionPaid],
    ['checkout.session.async_payment_succeeded', sessionPaid],
    ['checkout.session.async_payment_failed', sessionAsyncFailed],
    ['checkout.session.expired', sessionExpired],
    ['invoice.paid', invoicePaid],
    ['customer.subscription.updated', subscriptionChanged],
    ['customer.subscription.deleted', subscriptionChanged],
  ]);
}

