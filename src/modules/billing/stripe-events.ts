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
 *
 * A paid invoice nobody should have been charged is not applied: when the account behind it was
 * erased, or when (for a renewal) it is not the user's current subscription — a second one left
 * running beside a plan change — the subscription is cancelled at Stripe and the invoice refunded
 * before the event is recorded (decisions 054, 056). If Stripe cannot be told, the event fails and
 * Stripe delivers it again.
 */
import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/types.ts';
import * as cat from './offers.queries.ts';
import type { PaymentCompletion, Fulfilment, GatewaySettlement } from './fulfilment.ts';
import { fromUnix, type StripeReader, type TCheckoutSession, type TInvoice, type TSubscription } from './gateways/stripe-client.ts';
import type { StripeGateway } from './gateways/stripe.ts';
import * as q from './payments.queries.ts';
import type { SubscriptionStatus } from './payments.tables.ts';
import * as sq from './stripe.queries.ts';
import { findPaymentByReference, insertRefund } from './refunds.queries.ts';
import type { RefundApplied, RefundsService } from './refunds.service.ts';

export interface EventOutcome {
  status: 'processed' | 'ignored';
  note?: string;
  /** The payment this event completed: its receipt goes out after the commit. */
  receipt?: q.PaymentRow;
  /** Refunds this event applied: their notices go out after the commit. */
  refunds?: RefundApplied[];
}

export type PreparedEvent = EventOutcome | { apply: (tx: Tx) => Promise<EventOutcome> };
export type StripeEventHandler = (objectId: string) => Promise<PreparedEvent>;

const ignored = (note: string): EventOutcome => ({ status: 'ignored', note });
const processed = (note?: string): EventOutcome => ({ status: 'processed', note });
const completed = (done: PaymentCompletion): EventOutcome =>
  done.applied ? { status: 'processed', receipt: done.payment } : processed(`the payment was already ${done.payment.status}`);

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
export function createStripeEventHandlers(deps: {
  db: Db;
  reader: StripeReader;
  gateway: Pick<StripeGateway, 'cancelNow' | 'refundInvoice'>;
  fulfilment: Fulfilment;
  refunds: Pick<RefundsService, 'recordFromStripe'>;
  clock: Clock;
}): ReadonlyMap<string, StripeEventHandler> {
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
    const unwanted = await unwantedCharge(paymentId, sub, invoice);
    if (unwanted) {
      await deps.gateway.cancelNow(sub.id);
      await deps.gateway.refundInvoice(invoice.id, unwanted.refundReason);
      return { apply: (tx) => recordRefunded(tx, unwanted.first, sub, invoice, unwanted.note) };
    }
    return {
      apply: async (tx) => {
        const first = await stripePayment(tx, paymentId);
        if (!first || first.purpose !== 'plan' || !first.planId) return ignored('no plan payment of ours for this subscription');
        // Erased since the check above: fail, so Stripe's next delivery cancels and refunds.
        if (!first.userId) throw new Error(`the account behind payment ${first.id} was erased while its invoice was processed`);
        if (invoice.billing_reason === 'subscription_create') {
          return completed(await fulfilment.complete(tx, first.id, { providerReference: invoice.id, providerSubscription: period }));
        }
        const plan = await cat.findPlan(tx, first.planId);
        const renewal = await sq.ensureInvoicePayment(tx, renewalRow(first, plan?.creditsPerPeriod ?? 0, sub, invoice));
        return completed(await fulfilment.complete(tx, renewal.id, { providerSubscription: period }));
      },
    };
  }

  function renewalRow(first: q.PaymentRow, credits: number, sub: TSubscription, invoice: TInvoice) {
    const now = deps.clock.now();
    return {
      userId: first.userId,
      purpose: 'plan' as const,
      provider: 'stripe' as const,
      providerPaymentId: invoice.id,
      planId: first.planId,
      amountMinor: invoice.amount_paid,
      currency: invoice.currency.toUpperCase(),
      credits,
      metadata: { stripe_subscription_id: sub.id, renews_payment_id: first.id, billing_reason: invoice.billing_reason ?? null },
      createdAt: now,
      updatedAt: now,
    };
  }

  /**
   * Why this paid invoice must be given back, if it must: its account was erased, or it renews a
   * subscription that is not the user's current one. Read outside any transaction (the refund that
   * follows is a network call); the transaction that records it re-reads the payment.
   */
  async function unwantedCharge(paymentId: string | undefined, sub: TSubscription, invoice: TInvoice) {
    if (!isUuid(paymentId)) return undefined;
    const first = await q.findPayment(deps.db, paymentId);
    if (!first || first.provider !== 'stripe' || first.purpose !== 'plan') return undefined;
    if (!first.userId) return { first, refundReason: 'requested_by_customer' as const, note: 'the account was erased: subscription cancelled at Stripe and the invoice refunded' };
    if (invoice.billing_reason === 'subscription_create') return undefined;
    const current = await q.findSubscription(deps.db, first.userId);
    if (current?.provider === 'stripe' && current.providerSubscriptionId === sub.id) return undefined;
    return { first, refundReason: 'duplicate' as const, note: 'not the current subscription: cancelled at Stripe and the invoice refunded' };
  }

  /** The books of a charge given back: the invoice's payment is kept, as refunded, and nothing is granted. */
  async function recordRefunded(tx: Tx, first: q.PaymentRow, sub: TSubscription, invoice: TInvoice, note: string): Promise<EventOutcome> {
    const now = deps.clock.now();
    if (invoice.billing_reason === 'subscription_create') {
      // The checkout's own payment: still pending (its coupon use goes back) or completed with nothing granted.
      if (!(await fulfilment.fail(tx, first.id, 'refunded', `Stripe: ${note}`))) {
        const refunded = await q.markRefunded(tx, first.id, now);
        // Completed (counted as revenue) and now given back: the refund gets its row, for the books and analytics.
        if (refunded?.completedAt && refunded.amountMinor > 0) {
          await insertRefund(tx, {
            paymentId: refunded.id, userId: refunded.userId, provider: 'stripe', status: 'succeeded', amountMinor: refunded.amountMinor,
            currency: refunded.currency, reason: note, metadata: { invoice_id: invoice.id }, refundedAt: now, createdAt: now, updatedAt: now,
          });
        }
      }
    } else {
      const renewal = await sq.ensureInvoicePayment(tx, renewalRow(first, 0, sub, invoice));
      await q.markRefunded(tx, renewal.id, now);
    }
    return processed(note);
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

  /** Our Stripe payment behind a charge: named by our refunds' metadata, or by its payment intent (one-off payments). */
  async function chargePayment(tx: Tx, paymentIntent: string | null, named: (string | undefined)[]) {
    for (const id of named) {
      const p = await stripePayment(tx, id);
      if (p) return p;
    }
    return paymentIntent ? findPaymentByReference(tx, paymentIntent) : undefined;
  }

  /**
   * charge.refunded: every succeeded refund the charge (read back from Stripe) lists is recorded
   * once, by its Stripe id; the pending refund our own request made is settled by it when the
   * request has not done so yet (decision 058).
   */
  async function chargeRefunded(chargeId: string): Promise<PreparedEvent> {
    const charge = await reader.charge(chargeId);
    const succeeded = (charge.refunds?.data ?? []).filter((r) => r.status === 'succeeded');
    if (succeeded.length === 0) return processed('the charge lists no succeeded refund');
    return {
      apply: async (tx) => {
        const payment = await chargePayment(tx, charge.payment_intent, succeeded.map((r) => r.metadata.payment_id));
        if (!payment) return ignored('no payment of ours for this charge');
        const applied: RefundApplied[] = [];
        const notes: string[] = [];
        for (const r of succeeded) {
          const done = await deps.refunds.recordFromStripe(tx, { paymentId: payment.id, providerRefundId: r.id, ourRefundId: isUuid(r.metadata.refund_id) ? r.metadata.refund_id : undefined, amountMinor: r.amount, kind: 'refund' });
          if (done === 'too_much') notes.push(`refund ${r.id} exceeds what is left of the payment: not applied`);
          else if (done !== 'recorded') applied.push(done);
        }
        if (applied.length === 0) return processed(notes.join('; ') || 'its refunds were recorded already');
        return { status: 'processed', note: notes.join('; ') || undefined, refunds: applied };
      },
    };
  }

  /** charge.dispute.created: noted on the payment; nothing is taken back until the dispute is lost. */
  async function disputeCreated(disputeId: string): Promise<PreparedEvent> {
    const dispute = await reader.dispute(disputeId);
    return {
      apply: async (tx) => {
        const payment = await chargePayment(tx, dispute.payment_intent, []);
        if (!payment) return ignored('no payment of ours for this dispute');
        await q.updatePayment(tx, payment.id, { metadata: { ...payment.metadata, dispute: { id: dispute.id, status: dispute.status, reason: dispute.reason ?? null } }, updatedAt: deps.clock.now() });
        return processed(`dispute ${dispute.id} opened (${dispute.reason ?? 'no reason given'})`);
      },
    };
  }

  /** charge.dispute.closed: a lost dispute is a refund of kind `dispute` (recorded once, by the dispute id); a won one changes nothing. */
  async function disputeClosed(disputeId: string): Promise<PreparedEvent> {
    const dispute = await reader.dispute(disputeId);
    if (dispute.status !== 'lost') return processed(`the dispute is ${dispute.status}: nothing to take back`);
    return {
      apply: async (tx) => {
        const payment = await chargePayment(tx, dispute.payment_intent, []);
        if (!payment) return ignored('no payment of ours for this dispute');
        const left = payment.amountMinor - payment.refundedMinor;
        const amount = Math.min(dispute.amount, left);
        if (payment.status !== 'completed' || amount <= 0) return processed(`the payment is ${payment.status} with nothing left to refund`);
        const done = await deps.refunds.recordFromStripe(tx, { paymentId: payment.id, providerRefundId: dispute.id, amountMinor: amount, kind: 'dispute', reason: dispute.reason ?? null });
        if (done === 'recorded' || done === 'too_much') return processed('the dispute was recorded already');
        return { status: 'processed', note: `dispute lost (${dispute.reason ?? 'no reason given'})`, refunds: [done] };
      },
    };
  }

  return new Map([
    ['charge.refunded', chargeRefunded],
    ['charge.dispute.created', disputeCreated],
    ['charge.dispute.closed', disputeClosed],
    ['checkout.session.completed', sessionPaid],
    ['checkout.session.async_payment_succeeded', sessionPaid],
    ['checkout.session.async_payment_failed', sessionAsyncFailed],
    ['checkout.session.expired', sessionExpired],
    ['invoice.paid', invoicePaid],
    ['customer.subscription.updated', subscriptionChanged],
    ['customer.subscription.deleted', subscriptionChanged],
  ]);
}

