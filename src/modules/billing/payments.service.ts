/**
 * Checkout and the user's payments. Checkout creates a `pending` payment priced from billing's offers;
 * the provider then completes it (here: the `manual` provider, by a request of the owner or an
 * admin). Another user's payment is 404.
 */
import type { Config } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/types.ts';
import type { Principal } from '../../platform/http/auth.ts';
import type { Logger } from '../../platform/logger.ts';
import type { EmailSender } from '../../platform/mail/email-sender.ts';
import { errors, isAppError } from '../../platform/http/errors.ts';
import { decodeCursor, toPage, type TListQuery } from '../../platform/http/pagination.ts';
import { findUserById } from '../accounts/index.ts';
import { actorTypeFor, recordAudit } from '../../platform/audit/audit.ts';
import * as cat from './offers.queries.ts';
import { planView } from './offers.service.ts';
import type { Fulfilment } from './fulfilment.ts';
import type { CheckoutItem, CheckoutSession, PaymentGateways } from './gateways/gateway.ts';
import type { TCheckoutBody, TCheckoutResult, TPayment, TSubscription } from './payments.dto.ts';
import * as q from './payments.queries.ts';
import { returnCouponUse } from './promotions.queries.ts';
import type { PromotionsService } from './promotions.service.ts';

export interface PaymentsDeps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'payments' | 'publicUrl' | 'port'>;
  fulfilment: Fulfilment;
  /** The enabled external gateways; `manual` needs none. */
  gateways: PaymentGateways;
  promotions: Pick<PromotionsService, 'useForCheckout'>;
  mailer: EmailSender;
  log: Logger;
}

/** What a receipt says was bought. */
async function receiptDescription(db: Db, payment: q.PaymentRow): Promise<string> {
  if (payment.purpose === 'plan') {
    const plan = payment.planId ? await cat.findPlan(db, payment.planId) : undefined;
    return `${plan?.displayName ?? 'Your'} plan`;
  }
  const pkg = payment.packageId ? await cat.findPackage(db, payment.packageId) : undefined;
  const what = pkg ? `${pkg.name} (${payment.credits} credits)` : `${payment.credits} credits`;
  return payment.purpose === 'gift_card' ? `a gift card: ${what}` : what;
}

/**
 * Emails the buyer a receipt for a payment that has just completed, after the transaction that
 * completed it has committed; every way a payment completes (manual, Stripe, ZarinPal) calls it
 * once, for the completion that won. A failed send is logged (and its email log row says `failed`).
 */
export async function sendPaymentReceipt(deps: { db: Db; mailer: EmailSender; log: Logger }, payment: q.PaymentRow): Promise<void> {
  if (!payment.userId) return;
  try {
    const user = await findUserById(deps.db, payment.userId);
    if (!user?.email) return;
    await deps.mailer.send({
      to: user.email,
      locale: user.locale,
      template: 'payment_receipt',
      variables: { amount: formatMinor(payment.amountMinor, payment.currency), description: await receiptDescription(deps.db, payment), payment_id: payment.id },
    });
  } catch (err) {
    deps.log.error({ err, paymentId: payment.id }, 'billing: payment receipt failed');
  }
}

/**
 * An amount in minor units as people read it: `19.99 USD`, `250000 IRR`. Minor units hold two
 * digits for every currency kept here, IRR included (decision 008); rials are shown whole, as the
 * gateway takes them.
 */
export function formatMinor(amountMinor: number, currency: string): string {
  const digits = currency === 'IRR' && amountMinor % 100 === 0 ? 0 : 2;
  return `${(amountMinor / 100).toFixed(digits)} ${currency}`;
}

/** This server's own address: ATELIER_PUBLIC_URL, or localhost on its port. */
export const appBaseUrl = (config: Pick<Config, 'publicUrl' | 'port'>): string => (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');

/**
 * Whether a checkout may send the buyer back to `url`: the installation's own origin or one of
 * ATELIER_RETURN_URL_ORIGINS. A payment link that ends on a look-alike site would hand a phishing
 * page a buyer who has just paid (the ZarinPal callback and Stripe's success URL redirect there).
 */
export function returnUrlAllowed(config: Pick<Config, 'publicUrl' | 'port' | 'payments'>, url: string): boolean {
  const origin = new URL(url).origin;
  return origin === new URL(appBaseUrl(config)).origin || config.payments.returnUrlOrigins.includes(origin);
}

/** Where the buyer comes back to when the checkout did not name a return_url: the app's billing page. */
export const appReturnUrl = (config: Pick<Config, 'publicUrl' | 'port'>, paymentId: string): string => `${appBaseUrl(config)}/billing?payment=${paymentId}`;

export function createPaymentsService(deps: PaymentsDeps) {
  function providerEnabled(provider: TCheckoutBody['provider']): boolean {
    if (provider === 'manual') return deps.config.payments.manual;
    return deps.gateways[provider] !== undefined;
  }

  const defaultReturnUrl = (paymentId: string) => appReturnUrl(deps.config, paymentId);

  /**
   * A checkout in three steps, so no transaction waits on the provider (which may take seconds):
   * one transaction prices the offer, reserves the coupon use (counted, with its redemption row, so
   * max_uses and the per-user limit hold against parallel checkouts) and inserts the pending
   * payment; the provider is then asked to open its checkout; a last statement records its id.
   * When the provider refuses or cannot be reached, a second transaction fails the payment (which
   * gives the coupon use back) and the same 502 goes to the client (decision 055).
   */
  async function checkout(userId: string, body: TCheckoutBody): Promise<TCheckoutResult> {
    if (!providerEnabled(body.provider)) {
      throw errors.validation([{ path: 'provider', message: `the ${body.provider} provider is not enabled on this server` }]);
    }
    if (body.return_url && !returnUrlAllowed(deps.config, body.return_url)) {
      throw errors.validation([{ path: 'return_url', message: 'must be on this site or an origin in ATELIER_RETURN_URL_ORIGINS' }]);
    }
    const reserved = await deps.db.transaction((tx) => reserve(tx, userId, body));
    const { payment } = reserved;
    if (body.provider === 'manual') return { payment: paymentView(payment), redirect_url: body.return_url ?? null };
    const gateway = deps.gateways[body.provider]!;
    let session: CheckoutSession;
    try {
      session = await gateway.startCheckout({
        payment,
        item: reserved.item,
        customerEmail: reserved.customer?.email ?? null,
        customerPhone: reserved.customer?.phone ?? null,
        returnUrl: body.return_url ?? defaultReturnUrl(payment.id),
      });
    } catch (err) {
      await deps.db.transaction(async (tx) => {
        // The gateway found the request itself wrong (4xx, nothing reached the provider): it is undone as if never made.
        if (isAppError(err) && err.status < 500) await withdraw(tx, payment.id);
        else await deps.fulfilment.fail(tx, payment.id, 'failed', `Checkout not opened: ${err instanceof Error ? err.message : 'the provider failed'}`);
      });
      throw err;
    }
    const opened = await q.updatePayment(deps.db, payment.id, {
      providerPaymentId: session.providerPaymentId,
      ...(session.callbackUrl ? { callbackUrl: session.callbackUrl } : {}),
      updatedAt: deps.clock.now(),
    });
    return { payment: paymentView(opened!), redirect_url: session.redirectUrl };
  }

  /** Removes a payment the gateway refused as asked (its coupon use given back first). */
  async function withdraw(tx: Tx, paymentId: string): Promise<void> {
    await returnCouponUse(tx, paymentId, deps.clock.now());
    await q.deletePendingPayment(tx, paymentId);
  }

  /**
   * One renewing provider subscription per user: while Stripe renews one, a plan checkout would
   * start a second that bills beside it, so it is refused (409) until the current one is cancelled
   * (at period end — it then renews no more, and a new plan starts at once). Decision 056.
   */
  async function refuseWhileRenewing(tx: Tx, userId: string): Promise<void> {
    const current = await q.findSubscription(tx, userId);
    if (current?.status === 'active' && current.provider === 'stripe' && current.providerSubscriptionId && !current.cancelAtPeriodEnd) {
      throw errors.conflict('Your current plan renews by itself at Stripe; cancel it first (POST /billing/subscription/cancel), then choose the new plan.');
    }
  }

  /** The first step of a checkout, in its transaction: the priced, pending payment with its coupon use. */
  async function reserve(tx: Tx, userId: string, body: TCheckoutBody) {
    const now = deps.clock.now();
    let item: CheckoutItem;
    let priced: {
      purpose: 'package' | 'plan' | 'gift_card';
      amountMinor: number;
      currency: string;
      credits: number;
      packageId?: string;
      planId?: string;
      giftRecipientEmail?: string;
    };
    const packageId = body.package_id ?? body.gift_card?.package_id;
    if (packageId) {
      const pkg = await cat.findPackage(tx, packageId);
      if (!pkg || !pkg.isActive) throw errors.notFound('Package');
      priced = { purpose: 'package', amountMinor: pkg.amountMinor, currency: pkg.currency, credits: pkg.credits, packageId: pkg.id };
      item = { kind: 'package', name: body.gift_card ? `${pkg.name} gift card` : `${pkg.name} credit package`, billingPeriod: 'none', providerPriceIds: pkg.providerPriceIds };
      if (body.gift_card) priced = { ...priced, purpose: 'gift_card', giftRecipientEmail: body.gift_card.recipient_email };
    } else {
      const plan = await cat.findPlan(tx, body.plan_id!);
      if (!plan || !plan.isActive) throw errors.notFound('Plan');
      if (plan.amountMinor === 0) throw errors.validation([{ path: 'plan_id', message: 'a free plan needs no payment' }]);
      await refuseWhileRenewing(tx, userId);
      priced = { purpose: 'plan', amountMinor: plan.amountMinor, currency: plan.currency, credits: plan.creditsPerPeriod, planId: plan.id };
      item = { kind: 'plan', name: `${plan.displayName} plan`, billingPeriod: plan.billingPeriod, providerPriceIds: plan.providerPriceIds };
    }
    const coupon = body.coupon_code ? await deps.promotions.useForCheckout(tx, userId, body.coupon_code, priced) : undefined;
    const payment = await q.insertPayment(tx, {
      userId,
      provider: body.provider,
      ...priced,
      amountMinor: priced.amountMinor - (coupon?.discountMinor ?? 0),
      discountMinor: coupon?.discountMinor ?? 0,
      couponId: coupon?.couponId,
      returnUrl: body.return_url,
      createdAt: now,
      updatedAt: now,
    });
    await coupon?.record(payment.id);
    const customer = body.provider === 'manual' ? undefined : await findUserById(tx, userId);
    return { payment, item, customer };
  }

  async function list(userId: string, query: TListQuery) {
    const rows = await q.listUserPayments(deps.db, userId, decodeCursor(query.cursor), query.limit);
    const page = toPage(rows, query.limit, (r) => r);
    return { data: page.data.map(paymentView), next_cursor: page.next_cursor };
  }

  async function get(userId: string, id: string): Promise<TPayment> {
    const payment = await q.findPayment(deps.db, id);
    if (!payment || payment.userId !== userId) throw errors.notFound('Payment');
    return paymentView(payment);
  }

  /** The `manual` provider's completion: the owner or an admin completes a pending manual payment. */
  async function completeManual(principal: Principal, paymentId: string, meta: { ip?: string; userAgent?: string }): Promise<TPayment> {
    if (!deps.config.payments.manual) throw errors.notFound('Route');
    const done = await deps.db.transaction(async (tx) => {
      const payment = await q.findPayment(tx, paymentId);
      if (!payment || (payment.userId !== principal.userId && principal.role !== 'admin')) throw errors.notFound('Payment');
      if (payment.provider !== 'manual') throw errors.conflict('Only a manual payment can be completed this way.');
      const result = await deps.fulfilment.complete(tx, paymentId);
      if (!result.applied && result.payment.status !== 'completed') throw errors.conflict(`This payment is ${result.payment.status}.`);
      if (result.applied) {
        await recordAudit(tx, {
          actorType: actorTypeFor(principal.role),
          actorId: principal.userId,
          action: 'billing.payment.complete_manual',
          targetType: 'payment',
          targetId: paymentId,
          details: { before: { status: payment.status }, after: { status: result.payment.status }, amount_minor: payment.amountMinor, currency: payment.currency, credits: payment.credits },
          ip: meta.ip,
          userAgent: meta.userAgent,
          at: deps.clock.now(),
        });
      }
      return result;
    });
    if (done.applied) await sendPaymentReceipt(deps, done.payment);
    return paymentView(done.payment);
  }

  async function subscriptionView(row: q.SubscriptionRow | undefined): Promise<{ subscription: TSubscription | null }> {
    if (!row) return { subscription: null };
    const plan = await cat.findPlan(deps.db, row.planId);
    return {
      subscription: {
        id: row.id,
        status: row.status,
        plan: planView(plan!),
        current_period_start: row.currentPeriodStart.toISOString(),
        current_period_end: row.currentPeriodEnd?.toISOString() ?? null,
        cancel_at_period_end: row.cancelAtPeriodEnd,
      },
    };
  }

  const subscription = async (userId: string) => subscriptionView(await q.findSubscription(deps.db, userId));

  /**
   * Cancels at the end of the period: the plan keeps working until then. A subscription the
   * provider renews (Stripe) is told first; the local row changes only once the provider accepted.
   */
  async function cancelSubscription(userId: string) {
    const current = await q.findSubscription(deps.db, userId);
    if (current?.status === 'active' && !current.cancelAtPeriodEnd && current.providerSubscriptionId) {
      const gateway = deps.gateways[current.provider as keyof PaymentGateways];
      if (!gateway?.cancelAtPeriodEnd) throw errors.paymentProvider(`The ${current.provider} provider is not enabled on this server, so the subscription cannot be cancelled there.`);
      await gateway.cancelAtPeriodEnd(current.providerSubscriptionId);
    }
    const now = deps.clock.now();
    const row = await deps.db.transaction(async (tx) => {
      const cancelled = await q.requestCancel(tx, userId, now);
      if (cancelled) {
        await q.insertHistory(tx, {
          subscriptionId: cancelled.id,
          userId,
          event: 'cancel_requested',
          planId: cancelled.planId,
          periodStart: cancelled.currentPeriodStart,
          periodEnd: cancelled.currentPeriodEnd,
          createdAt: now,
        });
        return cancelled;
      }
      const current = await q.findSubscription(tx, userId);
      if (!current || current.status !== 'active') throw errors.notFound('Subscription');
      return current;
    });
    return subscriptionView(row);
  }

  return { checkout, list, get, completeManual, subscription, cancelSubscription };
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;

export function paymentView(p: q.PaymentRow): TPayment {
  return {
    id: p.id,
    purpose: p.purpose,
    provider: p.provider,
    status: p.status,
    amount_minor: p.amountMinor,
    discount_minor: p.discountMinor,
    refunded_minor: p.refundedMinor,
    currency: p.currency,
    credits: p.credits,
    package_id: p.packageId,
    plan_id: p.planId,
    return_url: p.returnUrl,
    created_at: p.createdAt.toISOString(),
    completed_at: p.completedAt?.toISOString() ?? null,
  };
}
