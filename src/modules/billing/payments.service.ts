/**
 * Checkout and the user's payments. Checkout creates a `pending` payment priced from the catalogue;
 * the provider then completes it (here: the `manual` provider, by a request of the owner or an
 * admin). Another user's payment is 404.
 */
import type { Config } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/types.ts';
import type { Principal } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/errors.ts';
import { decodeCursor, toPage, type TListQuery } from '../../platform/http/pagination.ts';
import { actorTypeFor, recordAudit } from '../admin/index.ts';
import * as cat from './catalogue.queries.ts';
import { planView } from './catalogue.service.ts';
import type { Fulfilment } from './fulfilment.ts';
import type { TCheckoutBody, TCheckoutResult, TPayment, TSubscription } from './payments.dto.ts';
import * as q from './payments.queries.ts';

export interface PaymentsDeps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'payments'>;
  fulfilment: Fulfilment;
}

export function createPaymentsService(deps: PaymentsDeps) {
  function providerEnabled(provider: TCheckoutBody['provider']): boolean {
    if (provider === 'manual') return deps.config.payments.manual;
    return deps.config.payments[provider] !== undefined;
  }

  /** Runs in the caller's transaction (the Idempotency-Key's). */
  async function checkout(tx: Tx, userId: string, body: TCheckoutBody): Promise<TCheckoutResult> {
    if (!providerEnabled(body.provider)) {
      throw errors.validation([{ path: 'provider', message: `the ${body.provider} provider is not enabled on this server` }]);
    }
    if (body.provider !== 'manual') {
      throw errors.validation([{ path: 'provider', message: `checkout with ${body.provider} is not available yet` }]);
    }
    if (body.coupon_code) throw errors.validation([{ path: 'coupon_code', message: 'coupons are not accepted yet' }]);
    const now = deps.clock.now();
    let priced: { purpose: 'package' | 'plan'; amountMinor: number; currency: string; credits: number; packageId?: string; planId?: string };
    if (body.package_id) {
      const pkg = await cat.findPackage(tx, body.package_id);
      if (!pkg || !pkg.isActive) throw errors.notFound('Package');
      priced = { purpose: 'package', amountMinor: pkg.amountMinor, currency: pkg.currency, credits: pkg.credits, packageId: pkg.id };
    } else {
      const plan = await cat.findPlan(tx, body.plan_id!);
      if (!plan || !plan.isActive) throw errors.notFound('Plan');
      if (plan.amountMinor === 0) throw errors.validation([{ path: 'plan_id', message: 'a free plan needs no payment' }]);
      priced = { purpose: 'plan', amountMinor: plan.amountMinor, currency: plan.currency, credits: plan.creditsPerPeriod, planId: plan.id };
    }
    const payment = await q.insertPayment(tx, {
      userId,
      provider: body.provider,
      ...priced,
      returnUrl: body.return_url,
      createdAt: now,
      updatedAt: now,
    });
    return { payment: paymentView(payment), redirect_url: body.return_url ?? null };
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
    return deps.db.transaction(async (tx) => {
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
          details: { amount_minor: payment.amountMinor, currency: payment.currency, credits: payment.credits },
          ip: meta.ip,
          userAgent: meta.userAgent,
          at: deps.clock.now(),
        });
      }
      return paymentView(result.payment);
    });
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

  /** Cancels at the end of the period: the plan keeps working until then. */
  async function cancelSubscription(userId: string) {
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
    currency: p.currency,
    credits: p.credits,
    package_id: p.packageId,
    plan_id: p.planId,
    return_url: p.returnUrl,
    created_at: p.createdAt.toISOString(),
    completed_at: p.completedAt?.toISOString() ?? null,
  };
}
