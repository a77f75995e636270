/**
 * Fulfilment: what a completed payment gives. Every way a payment completes (a manual completion, a
 * Stripe webhook, a ZarinPal verify) comes here, in any order and any number of times: only the
 * conditional `pending → completed` update that wins grants, and the grant's ledger key
 * `payment:<id>` would refuse a second one anyway.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Tx } from '../../platform/db/types.ts';
import { errors } from '../../platform/http/errors.ts';
import * as cat from './offers.queries.ts';
import type { BillingPeriod } from './offers.tables.ts';
import type { Ledger } from './ledger.ts';
import type { GiftCardDelivery } from './gift-card-delivery.ts';
import { insertWithFreshCode } from './gift-code.ts';
import * as q from './payments.queries.ts';
import * as pq from './promotions.queries.ts';

const DAY = 86_400_000;

export function addPeriod(from: Date, period: BillingPeriod): Date | null {
  if (period === 'none') return null;
  const d = new Date(from);
  if (period === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d;
}

export interface PaymentCompletion {
  payment: q.PaymentRow;
  applied: boolean;
}

export interface GatewaySettlement {
  providerReference?: string;
  gatewayCardPan?: string;
  /**
   * A subscription the provider renews by itself (Stripe): its id and the period this payment paid
   * for, as the provider reports it. Without it, the period is computed here from the plan.
   */
  providerSubscription?: { id: string; periodStart: Date; periodEnd: Date };
}

/**
 * Ends a pending payment without granting anything (declined, cancelled, timed out, or paid and
 * given back at once because nobody should have been charged); every way a payment leaves
 * `pending` other than completing comes here. The coupon use its checkout took is given back in the
 * same transaction, by the one caller whose conditional update won. Undefined when the payment was
 * not pending (then nothing happens).
 */
export async function failPending(tx: Tx, now: Date, paymentId: string, status: 'failed' | 'cancelled' | 'expired' | 'refunded', reason: string) {
  const ended = await q.settlePending(tx, paymentId, { status, now, failureReason: reason });
  if (ended?.couponId) await pq.returnCouponUse(tx, ended.id, now);
  return ended;
}

export function createFulfilment(deps: { clock: Clock; ledger: Ledger; giftCards: Pick<GiftCardDelivery, 'enqueue'> }) {
  async function startOrExtendSubscription(tx: Tx, payment: q.PaymentRow, now: Date, given: GatewaySettlement['providerSubscription']) {
    const plan = await cat.findPlan(tx, payment.planId!);
    if (!plan) throw new Error(`payment ${payment.id} names a plan that does not exist`);
    const userId = payment.userId!;
    const current = await q.findSubscriptionForUpdate(tx, userId);
    // The same plan still running is extended from its end; anything else starts now.
    const extend = current && current.planId === plan.id && current.status === 'active' && current.currentPeriodEnd && current.currentPeriodEnd > now;
    const start = given ? given.periodStart : extend ? current.currentPeriodEnd! : now;
    const end = given ? given.periodEnd : addPeriod(start, plan.billingPeriod);
    const sameProviderSubscription = Boolean(given && current?.provider === payment.provider && current.providerSubscriptionId === given.id);
    // A late event for an older period of the same provider subscription grants its credits but does not move the period back.
    const keepPeriod = sameProviderSubscription && current!.currentPeriodEnd !== null && current!.currentPeriodEnd > end!;
    const fields = {
      planId: plan.id,
      status: 'active' as const,
      currentPeriodStart: keepPeriod ? current!.currentPeriodStart : start,
      currentPeriodEnd: keepPeriod ? current!.currentPeriodEnd : end,
      cancelAtPeriodEnd: keepPeriod ? current!.cancelAtPeriodEnd : false,
      provider: payment.provider,
      providerSubscriptionId: given?.id ?? null,
      lastPaymentId: payment.id,
      updatedAt: now,
    };
    const sub = current
      ? await q.updateSubscription(tx, current.id, fields)
      : await q.insertSubscription(tx, { userId, ...fields, createdAt: now });
    await q.insertHistory(tx, {
      subscriptionId: sub.id,
      userId,
      event: !current ? 'started' : (given ? sameProviderSubscription : extend) ? 'renewed' : 'changed',
      planId: plan.id,
      paymentId: payment.id,
      periodStart: start,
      periodEnd: end,
      createdAt: now,
    });
    if (plan.creditsPerPeriod > 0) {
      await deps.ledger.grant(tx, {
        userId,
        type: 'subscription_grant',
        amount: plan.creditsPerPeriod,
        idempotencyKey: `payment:${payment.id}`,
        expiresAt: end,
        description: `${plan.displayName} plan credits`,
        referenceType: 'payment',
        referenceId: payment.id,
      });
    }
  }

  /** A paid gift card: active at once; its code leaves only sealed in its email job, in this transaction. */
  async function issueGiftCard(tx: Tx, payment: q.PaymentRow, now: Date): Promise<void> {
    const { code, card } = await insertWithFreshCode(tx, {
      status: 'active',
      credits: payment.credits,
      buyerUserId: payment.userId,
      recipientEmail: payment.giftRecipientEmail,
      packageId: payment.packageId,
      paymentId: payment.id,
      createdAt: now,
      updatedAt: now,
    });
    await deps.giftCards.enqueue(tx, { cardId: card.id, code });
  }

  /** Completes a pending payment and grants what it bought; `applied` is false when it was not pending. */
  async function complete(tx: Tx, paymentId: string, settlement: GatewaySettlement = {}): Promise<PaymentCompletion> {
    const now = deps.clock.now();
    const settled = await q.settlePending(tx, paymentId, { status: 'completed', now, providerReference: settlement.providerReference, gatewayCardPan: settlement.gatewayCardPan });
    if (!settled) {
      const payment = await q.findPayment(tx, paymentId);
      if (!payment) throw errors.notFound('Payment');
      return { payment, applied: false };
    }
    if (settled.purpose === 'gift_card') {
      await issueGiftCard(tx, settled, now);
      return { payment: settled, applied: true };
    }
    if (!settled.userId) return { payment: settled, applied: true }; // the buyer's account was erased meanwhile
    if (settled.purpose === 'package') {
      const pkg = await cat.findPackage(tx, settled.packageId!);
      await deps.ledger.grant(tx, {
        userId: settled.userId,
        type: 'purchase',
        amount: settled.credits,
        idempotencyKey: `payment:${settled.id}`,
        expiresAt: pkg?.creditsValidDays ? new Date(now.getTime() + pkg.creditsValidDays * DAY) : null,
        description: pkg ? `${pkg.name} credit package` : 'Credit package',
        referenceType: 'payment',
        referenceId: settled.id,
      });
    } else {
      await startOrExtendSubscription(tx, settled, now, settlement.providerSubscription);
    }
    return { payment: settled, applied: true };
  }

  const fail = (tx: Tx, paymentId: string, status: 'failed' | 'cancelled' | 'expired' | 'refunded', reason: string) => failPending(tx, deps.clock.now(), paymentId, status, reason);

  return { complete, fail };
}

export type Fulfilment = ReturnType<typeof createFulfilment>;
