import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.ts';
import { paymentProviders, payments } from './payments.tables.ts';

/** `refund`: money given back (by an admin or at the provider); `dispute`: a chargeback the merchant lost. */
export const refundKinds = ['refund', 'dispute'] as const;
export type RefundKind = (typeof refundKinds)[number];
/** `pending` only while an admin's refund waits on the provider's answer; then `succeeded` (or the row is removed). */
export const refundStatuses = ['pending', 'succeeded'] as const;
export type RefundStatus = (typeof refundStatuses)[number];

/**
 * Money given back on a payment, one row per refund (several partial ones may add up to the
 * payment). Each succeeded row took back what it could of the credits the payment granted (only
 * from that payment's own lot, never below zero, never held credits) and records the rest as
 * unrecovered. Seed 004 keeps a refund as a payment status and a ledger type: both stay (the
 * payment becomes `refunded` once fully refunded; the credits taken back are a `refund` ledger
 * row); this table adds the amount and time of each refund (decision 057).
 */
export const refunds = pgTable(
  'refunds',
  {
    id: uuid().primaryKey().defaultRandom(),
    paymentId: uuid()
      .notNull()
      .references(() => payments.id, { onDelete: 'restrict' }),
    /** The payer; set null on erasure like the payment's. */
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    kind: text({ enum: refundKinds }).notNull().default('refund'),
    status: text({ enum: refundStatuses }).notNull().default('pending'),
    provider: text({ enum: paymentProviders }).notNull(),
    /** Stripe's `re_…` or `dp_…`; null for refunds recorded by hand (manual, ZarinPal). */
    providerRefundId: text(),
    amountMinor: integer().notNull(),
    currency: text().notNull(),
    reason: text(),
    /** Credits of the payment's lot taken back by this refund. */
    creditsRecovered: integer().notNull().default(0),
    /** Credits this refund should have taken back but had been spent (or were held) already. */
    creditsUnrecovered: integer().notNull().default(0),
    /** The admin who asked for it; null when the provider reported it (a webhook). */
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** When the money went back: the time revenue analytics count the refund at. */
    refundedAt: timestamp({ withTimezone: true, precision: 3 }),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('refunds_payment_idx').on(t.paymentId, t.createdAt),
    uniqueIndex('refunds_provider_refund_id').on(t.provider, t.providerRefundId),
    // At most one refund of a payment waits on the provider at a time: a second one is 409.
    uniqueIndex('refunds_one_pending_per_payment').on(t.paymentId).where(sql`${t.status} = 'pending'`),
    // Revenue analytics sum refunds by when the money went back (decision 063).
    index('refunds_refunded_at_idx').on(t.refundedAt).where(sql`${t.refundedAt} is not null`),
    check('refunds_kind_check', sql`${t.kind} in ('refund','dispute')`),
    check('refunds_status_check', sql`${t.status} in ('pending','succeeded')`),
    check('refunds_provider_check', sql`${t.provider} in ('stripe','zarinpal','manual')`),
    check('refunds_amount_pos', sql`${t.amountMinor} > 0`),
    check('refunds_credits_nonneg', sql`${t.creditsRecovered} >= 0 and ${t.creditsUnrecovered} >= 0`),
    check('refunds_currency_iso', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);
