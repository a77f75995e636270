import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.ts';
import { creditPackages } from './offers.tables.ts';

export const couponTypes = ['percentage', 'fixed_amount', 'credits'] as const;
export type CouponType = (typeof couponTypes)[number];

/**
 * Discount and credit codes. `uses_count` moves only by a conditional UPDATE that also checks
 * `max_uses`, and that UPDATE's row lock makes the per-user count that follows race-free.
 */
export const coupons = pgTable(
  'coupons',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Stored upper-case; matched case-insensitively. */
    code: text().notNull(),
    type: text({ enum: couponTypes }).notNull(),
    /** Percent (1–100), minor units of `currency`, or credits, by type. */
    value: integer().notNull(),
    currency: text(),
    maxUses: integer(),
    usesCount: integer().notNull().default(0),
    perUserLimit: integer().notNull().default(1),
    validFrom: timestamp({ withTimezone: true, precision: 3 }),
    validUntil: timestamp({ withTimezone: true, precision: 3 }),
    isActive: boolean().notNull().default(true),
    description: text(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('coupons_code').on(t.code),
    check('coupons_type_check', sql`${t.type} in ('percentage','fixed_amount','credits')`),
    check('coupons_value_range', sql`${t.value} > 0 and (${t.type} <> 'percentage' or ${t.value} <= 100)`),
    check('coupons_fixed_has_currency', sql`${t.type} <> 'fixed_amount' or ${t.currency} is not null`),
    check('coupons_uses_range', sql`${t.usesCount} >= 0 and (${t.maxUses} is null or ${t.usesCount} <= ${t.maxUses})`),
    check('coupons_per_user_pos', sql`${t.perUserLimit} > 0`),
  ],
);

export const couponRedemptions = pgTable(
  'coupon_redemptions',
  {
    id: uuid().primaryKey().defaultRandom(),
    couponId: uuid()
      .notNull()
      .references(() => coupons.id, { onDelete: 'restrict' }),
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    paymentId: uuid(),
    creditsAwarded: integer().notNull().default(0),
    discountMinor: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('coupon_redemptions_coupon_user_idx').on(t.couponId, t.userId)],
);

/** `disabled`: switched off by an admin (and back on, while unredeemed). */
export const giftCardStatuses = ['pending', 'active', 'redeemed', 'expired', 'disabled'] as const;
export type GiftCardStatus = (typeof giftCardStatuses)[number];

/**
 * Gift cards. The code is shown once (emailed to the recipient); only its SHA-256 is stored, with
 * the last characters for recognising it. Redeemed once: `active → redeemed` is a conditional UPDATE.
 */
export const giftCards = pgTable(
  'gift_cards',
  {
    id: uuid().primaryKey().defaultRandom(),
    codeHash: text().notNull(),
    codeLast4: text().notNull(),
    status: text({ enum: giftCardStatuses }).notNull().default('active'),
    credits: integer().notNull(),
    buyerUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    recipientEmail: text(),
    packageId: uuid().references(() => creditPackages.id, { onDelete: 'set null' }),
    paymentId: uuid(),
    redeemedByUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    redeemedAt: timestamp({ withTimezone: true, precision: 3 }),
    expiresAt: timestamp({ withTimezone: true, precision: 3 }),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('gift_cards_code_hash').on(t.codeHash),
    uniqueIndex('gift_cards_payment').on(t.paymentId),
    check('gift_cards_status_check', sql`${t.status} in ('pending','active','redeemed','expired','disabled')`),
    index('gift_cards_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('gift_cards_code_last4_idx').on(t.codeLast4),
    check('gift_cards_credits_pos', sql`${t.credits} > 0`),
  ],
);
