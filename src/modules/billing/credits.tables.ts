import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.ts';

/*
 * The credit ledger's tables: balances, the append-only transactions, lots (one per grant) and holds.
 */

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
    // Credits analytics sum a time window by type (decision 063).
    index('credit_transactions_created_idx').on(t.createdAt, t.type),
    check(
      'credit_transactions_type_check',
      sql`${t.type} in ('purchase','subscription_grant','signup_bonus','bonus','coupon','gift_card','usage','training','refund','expiration','admin_adjustment')`,
    ),
  ],
);

/**
 * One row per grant. The sum of a user's `remaining` equals their `available`: spending and holding
 * take from the soonest-expiring lot first and from never-expiring lots last; the expiry sweeper
 * writes off what is left of a lot once its `expires_at` has passed.
 */
export const creditLots = pgTable(
  'credit_lots',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The ledger type of the grant (`purchase`, `signup_bonus`, …) or `migration`. */
    source: text().notNull(),
    amount: integer().notNull(),
    remaining: integer().notNull(),
    expiresAt: timestamp({ withTimezone: true, precision: 3 }),
    transactionId: uuid(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('credit_lots_user_spendable_idx').on(t.userId, t.expiresAt).where(sql`${t.remaining} > 0`),
    index('credit_lots_due_idx').on(t.expiresAt).where(sql`${t.remaining} > 0 and ${t.expiresAt} is not null`),
    check('credit_lots_amount_pos', sql`${t.amount} > 0`),
    check('credit_lots_remaining_range', sql`${t.remaining} >= 0 and ${t.remaining} <= ${t.amount}`),
  ],
);

export const creditHoldStatuses = ['held', 'captured', 'released', 'expired'] as const;
export type CreditHoldStatus = (typeof creditHoldStatuses)[number];

/** Which lots a hold took from, so a release gives the credits back to the same lots. */
export type LotAllocation = { lot_id: string; amount: number };

/**
 * Credits set aside for work under way (a generation). They leave `available` for `held` without
 * changing the balance; a capture turns (part of) them into a `usage` ledger row and gives back the
 * rest, a release gives back all. Each ends at most once: the status moves only from `held`.
 */
export const creditHolds = pgTable(
  'credit_holds',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    amount: integer().notNull(),
    capturedAmount: integer().notNull().default(0),
    status: text({ enum: creditHoldStatuses }).notNull().default('held'),
    referenceType: text(),
    referenceId: text(),
    idempotencyKey: text().notNull(),
    lots: jsonb().$type<LotAllocation[]>().notNull().default([]),
    expiresAt: timestamp({ withTimezone: true, precision: 3 }),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('credit_holds_idempotency_key').on(t.idempotencyKey),
    index('credit_holds_user_idx').on(t.userId, t.status),
    index('credit_holds_due_idx').on(t.expiresAt).where(sql`${t.status} = 'held'`),
    check('credit_holds_amount_pos', sql`${t.amount} > 0`),
    check('credit_holds_captured_range', sql`${t.capturedAmount} >= 0 and ${t.capturedAmount} <= ${t.amount}`),
    check('credit_holds_status_check', sql`${t.status} in ('held','captured','released','expired')`),
  ],
);
