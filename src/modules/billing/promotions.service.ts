/**
 * Coupons and gift cards. A `credits` coupon is redeemed for credits; `percentage` and
 * `fixed_amount` coupons discount a package or plan. A coupon's max_uses and per-user limit hold
 * under concurrency (see takeCouponUse); a gift card is redeemed once.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/types.ts';
import { AppError, errors } from '../../platform/http/errors.ts';
import * as q from './credits.queries.ts';
import * as cat from './offers.queries.ts';
import { hashGiftCode } from './gift-code.ts';
import type { Ledger } from './ledger.ts';
import type { TCouponValidateBody, TCouponValidation, TRedeemResult } from './promotions.dto.ts';
import * as pq from './promotions.queries.ts';

const couponCode = (code: string) => code.trim().toUpperCase();

/** The discount a coupon gives on a price, in minor units; never more than the price. */
export function discountFor(coupon: pq.CouponRow, price: { amountMinor: number; currency: string }): number | undefined {
  if (coupon.type === 'percentage') return Math.floor((price.amountMinor * coupon.value) / 100);
  if (coupon.type === 'fixed_amount') return coupon.currency === price.currency ? Math.min(coupon.value, price.amountMinor) : undefined;
  return undefined;
}

export function createPromotionsService(deps: { db: Db; clock: Clock; ledger: Ledger }) {
  async function validate(userId: string, body: TCouponValidateBody): Promise<TCouponValidation> {
    const invalid = { valid: false, discount_minor: 0, credits: 0 };
    const now = deps.clock.now();
    const coupon = await pq.findUsableCoupon(deps.db, couponCode(body.code), now);
    if (!coupon || (coupon.maxUses !== null && coupon.usesCount >= coupon.maxUses)) return invalid;
    if ((await pq.countUserRedemptions(deps.db, coupon.id, userId)) >= coupon.perUserLimit) return invalid;
    const item = body.package_id ? await cat.findPackage(deps.db, body.package_id) : await cat.findPlan(deps.db, body.plan_id!);
    if (!item || !item.isActive) throw errors.notFound(body.package_id ? 'Package' : 'Plan');
    if (coupon.type === 'credits') return { valid: true, discount_minor: 0, credits: coupon.value };
    const discount = discountFor(coupon, item);
    return discount === undefined ? invalid : { valid: true, discount_minor: discount, credits: 0 };
  }

  /** Redeems a `credits` coupon; a wrong, used-up or expired code is 400 invalid_code. */
  async function redeemCoupon(tx: Tx, userId: string, code: string): Promise<TRedeemResult> {
    const now = deps.clock.now();
    const coupon = await pq.takeCouponUse(tx, couponCode(code), now);
    if (!coupon || coupon.type !== 'credits') throw errors.invalidCode();
    if ((await pq.countUserRedemptions(tx, coupon.id, userId)) >= coupon.perUserLimit) throw errors.invalidCode();
    const redemption = await pq.insertRedemption(tx, { couponId: coupon.id, userId, creditsAwarded: coupon.value, createdAt: now });
    await deps.ledger.grant(tx, {
      userId,
      type: 'coupon',
      amount: coupon.value,
      idempotencyKey: `coupon:${redemption.id}`,
      description: `Coupon ${coupon.code}`,
      referenceType: 'coupon',
      referenceId: coupon.id,
    });
    return { credits_awarded: coupon.value, available: (await q.getBalance(tx, userId))!.available };
  }

  async function redeemGiftCard(tx: Tx, userId: string, code: string): Promise<TRedeemResult> {
    const card = await pq.redeemGiftCard(tx, hashGiftCode(code), userId, deps.clock.now());
    if (!card) throw errors.invalidCode();
    await deps.ledger.grant(tx, {
      userId,
      type: 'gift_card',
      amount: card.credits,
      idempotencyKey: `gift_card:${card.id}`,
      description: 'Gift card',
      referenceType: 'gift_card',
      referenceId: card.id,
    });
    return { credits_awarded: card.credits, available: (await q.getBalance(tx, userId))!.available };
  }

  /**
   * Takes one use of a discount coupon for a checkout (in its transaction) and says the discount.
   * The use counts from checkout on, so max_uses cannot be oversold by payments completing later.
   */
  async function useForCheckout(tx: Tx, userId: string, code: string, price: { amountMinor: number; currency: string }) {
    const coupon = await pq.takeCouponUse(tx, couponCode(code), deps.clock.now());
    const discount = coupon ? discountFor(coupon, price) : undefined;
    if (!coupon || discount === undefined || (await pq.countUserRedemptions(tx, coupon.id, userId)) >= coupon.perUserLimit) {
      throw new AppError('invalid_code', 'This coupon cannot be used for this purchase.', { errors: [{ path: 'coupon_code', message: 'not valid here' }] });
    }
    return {
      couponId: coupon.id,
      discountMinor: discount,
      record: (paymentId: string) => pq.insertRedemption(tx, { couponId: coupon.id, userId, paymentId, discountMinor: discount, createdAt: deps.clock.now() }),
    };
  }

  return { validate, redeemCoupon, redeemGiftCard, useForCheckout };
}

export type PromotionsService = ReturnType<typeof createPromotionsService>;
