import { and, count, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { couponRedemptions, coupons, giftCards } from './promotions.tables.ts';

export type CouponRow = typeof coupons.$inferSelect;
export type GiftCardRow = typeof giftCards.$inferSelect;

const usableAt = (now: Date) =>
  and(
    eq(coupons.isActive, true),
    or(isNull(coupons.validFrom), lte(coupons.validFrom, now)),
    or(isNull(coupons.validUntil), gt(coupons.validUntil, now)),
  );

export async function findUsableCoupon(db: DbOrTx, code: string, now: Date): Promise<CouponRow | undefined> {
  const [row] = await db.select().from(coupons).where(and(eq(coupons.code, code), usableAt(now)));
  return row;
}

/**
 * Counts one use if the coupon is usable and not used up. The row lock it takes lasts to the end of
 * the transaction, so concurrent redeemers of one coupon take turns from here on.
 */
export async function takeCouponUse(db: DbOrTx, code: string, now: Date): Promise<CouponRow | undefined> {
  const [row] = await db
    .update(coupons)
    .set({ usesCount: sql`${coupons.usesCount} + 1`, updatedAt: now })
    .where(and(eq(coupons.code, code), usableAt(now), or(isNull(coupons.maxUses), sql`${coupons.usesCount} < ${coupons.maxUses}`)))
    .returning();
  return row;
}

export async function countUserRedemptions(db: DbOrTx, couponId: string, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(couponRedemptions)
    .where(and(eq(couponRedemptions.couponId, couponId), eq(couponRedemptions.userId, userId)));
  return Number(row?.n ?? 0);
}

export async function insertRedemption(db: DbOrTx, row: typeof couponRedemptions.$inferInsert) {
  const [inserted] = await db.insert(couponRedemptions).values(row).returning();
  return inserted!;
}

/**
 * Gives back the coupon use a payment took at checkout: its redemption row goes (freeing the
 * per-user count) and, only if there was one, `uses_count` goes down by one. Called by the one
 * caller that moved the payment out of `pending`, so it happens once.
 */
export async function returnCouponUse(db: DbOrTx, paymentId: string, now: Date): Promise<boolean> {
  const removed = await db.delete(couponRedemptions).where(eq(couponRedemptions.paymentId, paymentId)).returning({ couponId: couponRedemptions.couponId });
  for (const { couponId } of removed) {
    await db
      .update(coupons)
      .set({ usesCount: sql`${coupons.usesCount} - 1`, updatedAt: now })
      .where(and(eq(coupons.id, couponId), gt(coupons.usesCount, 0)));
  }
  return removed.length > 0;
}

export async function insertGiftCard(db: DbOrTx, row: typeof giftCards.$inferInsert): Promise<GiftCardRow | undefined> {
  const [inserted] = await db.insert(giftCards).values(row).onConflictDoNothing().returning();
  return inserted;
}

/** Redeems once: only an active, unexpired card moves to `redeemed`. */
export async function redeemGiftCard(db: DbOrTx, codeHash: string, userId: string, now: Date): Promise<GiftCardRow | undefined> {
  const [row] = await db
    .update(giftCards)
    .set({ status: 'redeemed', redeemedByUserId: userId, redeemedAt: now, updatedAt: now })
    .where(and(eq(giftCards.codeHash, codeHash), eq(giftCards.status, 'active'), or(isNull(giftCards.expiresAt), gt(giftCards.expiresAt, now))))
    .returning();
  return row;
}

export async function insertCouponIfFree(db: DbOrTx, row: typeof coupons.$inferInsert): Promise<CouponRow | undefined> {
  const [inserted] = await db.insert(coupons).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function listCoupons(db: DbOrTx, limit: number): Promise<CouponRow[]> {
  return db.select().from(coupons).orderBy(sql`${coupons.createdAt} desc`, sql`${coupons.id} desc`).limit(limit);
}

export async function updateCoupon(db: DbOrTx, id: string, patch: Partial<typeof coupons.$inferInsert>): Promise<CouponRow | undefined> {
  const [row] = await db.update(coupons).set(patch).where(eq(coupons.id, id)).returning();
  return row;
}
