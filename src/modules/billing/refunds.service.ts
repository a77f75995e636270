/**
 * Refunds (decisions 057–058). A refund gives back part or all of a completed payment and takes
 * back what it can of the credits that payment granted: only from the payment's own lot (never
 * other lots, never credits held by work under way), never below zero; what had been spent already
 * is recorded on the refund as unrecovered. A plan payment refunded in full ends the subscription
 * it started or renewed (`cancelled`, as of now).
 *
 * An admin's refund of a Stripe payment runs in three steps, so no transaction waits on Stripe
 * (decision 055): one transaction checks what is refundable and inserts a `pending` refund (one
 * pending refund per payment: a second request meanwhile is 409); Stripe is asked with no
 * transaction open; one transaction settles the refund and applies it. The settle is conditional
 * (`pending → succeeded`), so when Stripe's `charge.refunded` webhook gets there first the effects
 * still happen once. Manual and ZarinPal refunds are recorded by the admin in one transaction (the
 * money goes back outside the system: ZarinPal's refund API is open only to some merchants).
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/types.ts';
import type { Principal } from '../../platform/http/auth.ts';
import { errors, isAppError } from '../../platform/http/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import type { Logger } from '../../platform/logger.ts';
import type { EmailSender } from '../../platform/mail/email-sender.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { findUserById } from '../accounts/index.ts';
import * as cq from './credits.queries.ts';
import type { StripeGateway } from './gateways/stripe.ts';
import * as q from './payments.queries.ts';
import * as rq from './refunds.queries.ts';
import type { RefundKind } from './refunds.tables.ts';
import type { TRefundBody, TRefundResult } from './refunds.dto.ts';
import { formatMinor } from './payments.service.ts';

export interface RefundsDeps {
  db: Db;
  clock: Clock;
  stripe?: Pick<StripeGateway, 'refundPayment' | 'cancelNow'>;
  mailer: EmailSender;
  log: Logger;
}

/** Credits a refund of `before → after` (cumulative minor units) of a payment should take back: its share of the payment's credits. */
export function creditsDue(payment: Pick<q.PaymentRow, 'credits' | 'amountMinor'>, before: number, after: number): number {
  if (payment.amountMinor === 0) return 0;
  const share = (refunded: number) => Math.floor((payment.credits * refunded) / payment.amountMinor);
  return share(after) - share(before);
}

export interface RefundApplied {
  refund: rq.RefundRow;
  payment: q.PaymentRow;
}

export function createRefundsService(deps: RefundsDeps) {
  /** Why a payment cannot be refunded now (409), or how much is left to refund. */
  function refundable(payment: q.PaymentRow): number {
    if (payment.status === 'refunded') throw errors.conflict('This payment has been refunded in full already.');
    if (payment.status !== 'completed') throw errors.conflict(`This payment is ${payment.status}: only a completed payment can be refunded.`);
    return payment.amountMinor - payment.refundedMinor;
  }

  function checkAmount(left: number, asked: number | undefined): number {
    if (left <= 0) throw errors.validation([{ path: 'amount_minor', message: 'nothing of this payment is left to refund' }]);
    const amount = asked ?? left;
    if (amount > left) throw errors.validation([{ path: 'amount_minor', message: `at most ${left} (what is left of the payment) can be refunded` }]);
    return amount;
  }

  /**
   * Applies a refund row claimed in this transaction (just settled `pending → succeeded`, or just
   * inserted as succeeded): the payment's refunded amount and status, the credits taken back from
   * its lot, and the end of the subscription a fully refunded plan payment started.
   */
  async function applyClaimed(tx: Tx, refund: rq.RefundRow): Promise<RefundApplied> {
    const now = deps.clock.now();
    // One lock order everywhere: the payment, then the balance, then lots.
    const before = (await rq.findPaymentForUpdate(tx, refund.paymentId))!;
    const due = creditsDue(before, before.refundedMinor, before.refundedMinor + refund.amountMinor);
    const payment = await rq.addRefundedAmount(tx, before.id, refund.amountMinor, now);
    if (!payment) throw errors.conflict(`This refund no longer fits the payment (it is ${before.status}, ${before.amountMinor - before.refundedMinor} left to refund).`);
    // A gift card's credits went to whoever redeems its code, not to a lot of the buyer's: all unrecovered.
    const recovered = before.purpose === 'gift_card' ? 0 : await takeBack(tx, before, due, refund.id, refund.kind, now);
    const settled = await rq.setRefundCredits(tx, refund.id, recovered, due - recovered);
    if (payment.purpose === 'plan' && payment.status === 'refunded') {
      const ended = await rq.endSubscriptionOfPayment(tx, payment.id, now);
      if (ended) {
        await q.insertHistory(tx, { subscriptionId: ended.id, userId: ended.userId, event: 'cancelled', planId: ended.planId, paymentId: payment.id, periodStart: ended.currentPeriodStart, periodEnd: now, createdAt: now });
      }
    }
    return { refund: settled, payment };
  }

  /** Settles a pending refund and applies it; undefined when another transaction settled it first. */
  async function apply(tx: Tx, refundId: string, providerRefundId?: string | null): Promise<RefundApplied | undefined> {
    const claimed = await rq.settleRefund(tx, refundId, { providerRefundId, now: deps.clock.now() });
    return claimed ? applyClaimed(tx, claimed) : undefined;
  }

  /** Takes up to `due` credits from the payment's own lot: what is left of it unspent and not held. */
  async function takeBack(tx: Tx, payment: q.PaymentRow, due: number, refundId: string, kind: RefundKind, now: Date): Promise<number> {
    if (due <= 0 || !payment.userId) return 0;
    await cq.lockBalance(tx, payment.userId);
    // A lot past its expiry is written off first: expired credits are not there to take back.
    await cq.expireDueLots(tx, payment.userId, now);
    const lot = await rq.lotOfPaymentForUpdate(tx, payment.id);
    const take = Math.min(due, lot?.remaining ?? 0);
    if (take === 0) return 0;
    if (!(await rq.takeFromLot(tx, lot!.id, take))) throw new Error(`lot ${lot!.id} changed under its lock`);
    const after = await cq.shiftBalance(tx, payment.userId, { available: -take, held: 0 }, now);
    if (!after) throw new Error(`the balance of ${payment.userId} has less available than lot ${lot!.id} holds`);
    const balanceAfter = after.available + after.held;
    await cq.insertTransaction(tx, {
      userId: payment.userId,
      type: 'refund',
      amount: -take,
      balanceBefore: balanceAfter + take,
      balanceAfter,
      description: kind === 'dispute' ? 'Credits taken back: the payment was disputed' : 'Credits taken back: the payment was refunded',
      referenceType: 'payment',
      referenceId: payment.id,
      idempotencyKey: `refund:${refundId}`,
      metadata: { refund_id: refundId, lot_id: lot!.id },
      createdAt: now,
    });
    return take;
  }

  /** The refund notice, after the commit; a failed send is logged, never undoes the refund. */
  async function notify(done: RefundApplied): Promise<void> {
    if (!done.payment.userId) return;
    try {
      const user = await findUserById(deps.db, done.payment.userId);
      if (!user?.email) return;
      await deps.mailer.send({
        to: user.email,
        locale: user.locale,
        template: 'refund_notice',
        variables: {
          amount: formatMinor(done.refund.amountMinor, done.refund.currency),
          payment_id: done.payment.id,
          credits_taken_back: done.refund.creditsRecovered,
        },
      });
    } catch (err) {
      deps.log.error({ err, refundId: done.refund.id }, 'billing: refund notice failed');
    }
  }

  async function audit(tx: Tx, admin: Principal, meta: RequestMeta, before: q.PaymentRow, done: RefundApplied, body: TRefundBody) {
    await recordAudit(tx, {
      actorType: 'admin',
      actorId: admin.userId,
      action: 'billing.payment.refund',
      targetType: 'payment',
      targetId: before.id,
      details: {
        before: { status: before.status, refunded_minor: before.refundedMinor },
        after: { status: done.payment.status, refunded_minor: done.payment.refundedMinor },
        request: body,
        refund_id: done.refund.id,
        credits_recovered: done.refund.creditsRecovered,
        credits_unrecovered: done.refund.creditsUnrecovered,
      },
      ip: meta.ip,
      userAgent: meta.userAgent,
      at: deps.clock.now(),
    });
  }

  /** POST /admin/payments/{id}/refund. */
  async function refundByAdmin(admin: Principal, paymentId: string, body: TRefundBody, meta: RequestMeta): Promise<TRefundResult> {
    const first = await q.findPayment(deps.db, paymentId);
    if (!first) throw errors.notFound('Payment');
    if (first.provider !== 'stripe') return recordByAdmin(admin, paymentId, body, meta);
    if (!deps.stripe) throw errors.paymentProvider('The stripe provider is not enabled on this server, so the payment cannot be refunded there.');
    const reference = first.providerReference ?? first.providerPaymentId;
    if (!reference || !/^(pi|in)_/.test(reference)) throw errors.conflict('This Stripe payment names no payment intent or invoice to refund.');

    // 1. What is refundable, and the pending refund that reserves it.
    const reserved = await deps.db.transaction(async (tx) => {
      const payment = await rq.findPaymentForUpdate(tx, paymentId);
      const amount = checkAmount(refundable(payment!), body.amount_minor);
      if (await rq.pendingRefundOf(tx, paymentId)) throw errors.conflict('A refund of this payment is under way; try again when it has finished.');
      const now = deps.clock.now();
      const refund = await rq.insertRefund(tx, {
        paymentId, userId: payment!.userId, provider: 'stripe', amountMinor: amount, currency: payment!.currency,
        reason: body.reason ?? null, createdBy: admin.userId, createdAt: now, updatedAt: now,
      });
      return { payment: payment!, refund };
    });

    // 2. Stripe, with no transaction open.
    let made: { id: string };
    try {
      made = await deps.stripe.refundPayment({ reference, amountMinor: reserved.refund.amountMinor, refundId: reserved.refund.id, paymentId });
    } catch (err) {
      // Nothing was refunded as far as we know: the reservation goes. Had Stripe refunded after all, its webhook records it.
      await rq.deletePendingRefund(deps.db, reserved.refund.id);
      throw isAppError(err) ? err : errors.paymentProvider('Stripe could not refund the payment.');
    }

    // 3. Settle and apply (unless the webhook did already), with the audit row.
    const done = await deps.db.transaction(async (tx) => {
      const applied = await apply(tx, reserved.refund.id, made.id);
      const result = applied ?? { refund: (await rq.findRefund(tx, reserved.refund.id))!, payment: (await q.findPayment(tx, paymentId))! };
      await audit(tx, admin, meta, reserved.payment, result, body);
      return { result, applied: Boolean(applied) };
    });
    if (done.result.payment.purpose === 'plan' && done.result.payment.status === 'refunded') await endAtStripe(done.result.payment);
    if (done.applied) await notify(done.result);
    return refundView(done.result);
  }

  /** A plan paid through Stripe and refunded in full: its subscription stops renewing there too. */
  async function endAtStripe(payment: q.PaymentRow): Promise<void> {
    const subId = typeof payment.metadata.stripe_subscription_id === 'string' ? payment.metadata.stripe_subscription_id : undefined;
    const sub = subId ?? (payment.userId ? (await q.findSubscription(deps.db, payment.userId))?.providerSubscriptionId : undefined);
    if (!sub || !deps.stripe) return;
    try {
      await deps.stripe.cancelNow(sub);
    } catch (err) {
      deps.log.error({ err, paymentId: payment.id, subscription: sub }, 'billing: the refunded plan could not be cancelled at Stripe');
    }
  }

  /** Manual and ZarinPal: the admin has given the money back outside; this records it, in one transaction. */
  async function recordByAdmin(admin: Principal, paymentId: string, body: TRefundBody, meta: RequestMeta): Promise<TRefundResult> {
    const done = await deps.db.transaction(async (tx) => {
      const payment = (await rq.findPaymentForUpdate(tx, paymentId))!;
      const amount = checkAmount(refundable(payment), body.amount_minor);
      const now = deps.clock.now();
      const refund = await rq.insertRefund(tx, {
        paymentId, userId: payment.userId, provider: payment.provider, amountMinor: amount, currency: payment.currency,
        reason: body.reason ?? null, createdBy: admin.userId, metadata: { recorded: true }, createdAt: now, updatedAt: now,
      });
      const applied = (await apply(tx, refund.id))!;
      await audit(tx, admin, meta, payment, applied, body);
      return applied;
    });
    await notify(done);
    return refundView(done);
  }

  /**
   * A refund or lost dispute Stripe reports (webhook), in the event's transaction: the pending
   * refund our request made is settled (if the request has not yet), a refund made elsewhere (the
   * dashboard) or a dispute gets its own row. Undefined when it was recorded already.
   */
  async function recordFromStripe(
    tx: Tx,
    r: { paymentId: string; providerRefundId: string; ourRefundId?: string; amountMinor: number; kind: RefundKind; reason?: string | null },
  ): Promise<RefundApplied | 'recorded' | 'too_much'> {
    const known = await rq.findRefundByProviderId(tx, 'stripe', r.providerRefundId);
    if (known) return 'recorded';
    const payment = (await rq.findPaymentForUpdate(tx, r.paymentId))!;
    if (r.ourRefundId) {
      const ours = await rq.findRefund(tx, r.ourRefundId);
      if (ours?.status === 'succeeded') return 'recorded';
      if (ours?.status === 'pending') return (await apply(tx, ours.id, r.providerRefundId)) ?? 'recorded';
    }
    if (payment.status !== 'completed' || r.amountMinor > payment.amountMinor - payment.refundedMinor) return 'too_much';
    // Our request's own pending row may still wait: this refund comes from elsewhere, so it gets its own row beside it.
    const now = deps.clock.now();
    const refund = await rq.insertRefund(tx, {
      paymentId: payment.id, userId: payment.userId, kind: r.kind, provider: 'stripe', providerRefundId: r.providerRefundId,
      amountMinor: r.amountMinor, currency: payment.currency, reason: r.reason ?? null, createdAt: now, updatedAt: now,
      status: 'succeeded', refundedAt: now,
    });
    return applyClaimed(tx, refund);
  }

  return { refundByAdmin, recordFromStripe, notify, endAtStripe };
}

export type RefundsService = ReturnType<typeof createRefundsService>;

export function refundView(done: RefundApplied): TRefundResult {
  const r = done.refund;
  return {
    id: r.id,
    payment_id: r.paymentId,
    kind: r.kind,
    provider: r.provider,
    provider_refund_id: r.providerRefundId,
    amount_minor: r.amountMinor,
    currency: r.currency,
    reason: r.reason,
    credits_recovered: r.creditsRecovered,
    credits_unrecovered: r.creditsUnrecovered,
    created_at: r.createdAt.toISOString(),
    refunded_at: r.refundedAt?.toISOString() ?? null,
    payment: { status: done.payment.status, amount_minor: done.payment.amountMinor, refunded_minor: done.payment.refundedMinor },
  };
}
