import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.ts';

/** One row per user: the only hot row of a user, updated with conditional UPDATEs. */
export const creditBalances = pgTable(
  'credit_balances',
  {
    userId: uuid()
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    available: integer().notNull().default(0),
    held: integer().notNull().default(0),
    totalPurchased: integer().notNull().default(0),
    totalUsed: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    check('credit_balances_available_nonneg', sql`${t.available} >= 0`),
    check('credit_balances_held_nonneg', sql`${t.held} >= 0`),
    check('credit_balances_total_purchased_nonneg', sql`${t.totalPurchased} >= 0`),
    check('credit_balances_total_used_nonneg', sql`${t.totalUsed} >= 0`),
  ],
);

export const creditTransactionTypes = [
  'purchase',
  'subscription_grant',
  'signup_bonus',
  'bonus',
  'coupon',
  'gift_card',
  'usage',
  'training',
  'refund',
  'expiration',
  'admin_adjustment',
] as const;
export type CreditTransactionType = (typeof creditTransactionTypes)[number];

/**
 * The append-only ledger. Every change of a balance writes exactly one row here in the same
 * transaction; the sum of a user's `amount` equals available + held. Rows outlive their user
 * (user_id is set null on erasure) so the books stay whole.
 */
export const creditTransactions = pgTable(
  'credit_transactions',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    type: text({ enum: creditTransactionTypes }).notNull(),
    /** Signed: positive adds to the balance, negative takes from it. */
    amount: integer().notNull(),
    balanceBefore: integer().notNull(),
    balanceAfter: integer().notNull(),
    description: text(),
    referenceType: text(),
    referenceId: text(),
    /** Makes a grant happen once, whatever the number of deliveries (e.g. `signup:<user id>`). */
    idempotencyKey: text().notNull(),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('credit_transactions_idempotency_key').on(t.idempotencyKey),
    index('credit_transactions_user_created_idx').on(t.userId, t.createdAt.desc(), t.id.desc()),
    index('credit_transactions_type_idx').on(t.type),
    check(
      'credit_transactions_type_check',
      sql`${t.type} in ('purchase','subscription_grant','signup_bonus','bonus','coupon','gift_card','usage','training','refund','expiration','admin_adjustment')`,
    ),
  ],
);
