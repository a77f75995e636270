import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.ts';
import { creditPackages, plans } from './offers.tables.ts';

export const paymentPurposes = ['package', 'plan', 'gift_card'] as const;
export type PaymentPurpose = (typeof paymentPurposes)[number];
export const paymentProviders = ['stripe', 'zarinpal', 'manual'] as const;
export type PaymentProvider = (typeof paymentProviders)[number];
export const paymentStatuses = ['pending', 'completed', 'failed', 'cancelled', 'expired', 'refunded'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

/**
 * One attempt to pay. It is fulfilled once: only the conditional `pending → completed` update that
 * wins grants anything, and the grant's ledger key is `payment:<id>` besides. Payments outlive
 * their user (set null on erasure): they are the books.
 */
export const payments = pgTable(
  'payments',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    purpose: text({ enum: paymentPurposes }).notNull(),
    provider: text({ enum: paymentProviders }).notNull(),
    /** The provider's id of the checkout (Stripe session id, ZarinPal authority). */
    providerPaymentId: text(),
    /** The provider's id of the settled payment (Stripe payment intent, ZarinPal ref_id). */
    providerReference: text(),
    packageId: uuid().references(() => creditPackages.id, { onDelete: 'restrict' }),
    planId: uuid().references(() => plans.id, { onDelete: 'restrict' }),
    couponId: uuid(),
    giftRecipientEmail: text(),
    amountMinor: integer().notNull(),
    discountMinor: integer().notNull().default(0),
    /** The sum of the payment's succeeded refunds (never above amount_minor); `refunded` once it is all of it. */
    refundedMinor: integer().notNull().default(0),
    currency: text().notNull(),
    credits: integer().notNull().default(0),
    status: text({ enum: paymentStatuses }).notNull().default('pending'),
    gatewayTrackId: text(),
    gatewayCardPan: text(),
    callbackUrl: text(),
    returnUrl: text(),
    failureReason: text(),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    completedAt: timestamp({ withTimezone: true, precision: 3 }),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('payments_provider_payment_id').on(t.provider, t.providerPaymentId),
    uniqueIndex('payments_provider_reference').on(t.provider, t.providerReference),
    index('payments_user_created_idx').on(t.userId, t.createdAt.desc(), t.id.desc()),
    // GET /admin/payments unfiltered and by status or provider (decision 061); revenue by the time money came in (decision 063).
    index('payments_created_idx').on(t.createdAt, t.id),
    index('payments_status_created_idx').on(t.status, t.createdAt),
    index('payments_provider_created_idx').on(t.provider, t.createdAt),
    index('payments_completed_idx').on(t.completedAt).where(sql`${t.completedAt} is not null`),
    check('payments_purpose_check', sql`${t.purpose} in ('package','plan','gift_card')`),
    check('payments_provider_check', sql`${t.provider} in ('stripe','zarinpal','manual')`),
    check('payments_status_check', sql`${t.status} in ('pending','completed','failed','cancelled','expired','refunded')`),
    check('payments_amount_nonneg', sql`${t.amountMinor} >= 0 and ${t.discountMinor} >= 0`),
    check('payments_refunded_range', sql`${t.refundedMinor} >= 0 and ${t.refundedMinor} <= ${t.amountMinor}`),
    check('payments_currency_iso', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export const subscriptionStatuses = ['active', 'cancelled', 'expired'] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

/** A user's plan: one row per user, moved along by payments; its history keeps every step. */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    planId: uuid()
      .notNull()
      .references(() => plans.id, { onDelete: 'restrict' }),
    status: text({ enum: subscriptionStatuses }).notNull().default('active'),
    currentPeriodStart: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    /** Null for plans without a billing period. */
    currentPeriodEnd: timestamp({ withTimezone: true, precision: 3 }),
    cancelAtPeriodEnd: boolean().notNull().default(false),
    /**
     * Who renews it. `stripe` subscriptions renew themselves (each paid invoice extends the period);
     * `zarinpal` and `manual` ones cover what was paid and expire at the period's end.
     */
    provider: text({ enum: paymentProviders }).notNull().default('manual'),
    /** The provider's subscription id (Stripe `sub_…`), when the provider keeps one. */
    providerSubscriptionId: text(),
    lastPaymentId: uuid(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('subscriptions_user').on(t.userId),
    uniqueIndex('subscriptions_provider_subscription_id').on(t.provider, t.providerSubscriptionId),
    check('subscriptions_status_check', sql`${t.status} in ('active','cancelled','expired')`),
    check('subscriptions_provider_check', sql`${t.provider} in ('stripe','zarinpal','manual')`),
  ],
);

export const subscriptionHistory = pgTable(
  'subscription_history',
  {
    id: uuid().primaryKey().defaultRandom(),
    subscriptionId: uuid()
      .notNull()
      .references(() => subscriptions.id, { onDelete: 'cascade' }),
    userId: uuid().notNull(),
    /** started · renewed · changed · cancel_requested · resumed · cancelled · expired */
    event: text().notNull(),
    planId: uuid().notNull(),
    paymentId: uuid(),
    periodStart: timestamp({ withTimezone: true, precision: 3 }),
    periodEnd: timestamp({ withTimezone: true, precision: 3 }),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('subscription_history_subscription_idx').on(t.subscriptionId, t.createdAt)],
);
