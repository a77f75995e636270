import { sql } from 'drizzle-orm';
import { boolean, check, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** Price ids of the same product at each payment provider, e.g. `{ "stripe": "price_…" }`. */
export type ProviderPriceIds = Partial<Record<'stripe' | 'zarinpal', string>>;

/** One-off credit packs. Money is integer minor units of `currency` (ISO 4217). */
export const creditPackages = pgTable(
  'credit_packages',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    description: text(),
    credits: integer().notNull(),
    amountMinor: integer().notNull(),
    currency: text().notNull(),
    isFeatured: boolean().notNull().default(false),
    isActive: boolean().notNull().default(true),
    sortOrder: integer().notNull().default(0),
    /** How long the credits stay spendable after purchase; null = forever. */
    creditsValidDays: integer(),
    providerPriceIds: jsonb().$type<ProviderPriceIds>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('credit_packages_name').on(t.name),
    check('credit_packages_credits_pos', sql`${t.credits} > 0`),
    check('credit_packages_amount_nonneg', sql`${t.amountMinor} >= 0`),
    check('credit_packages_currency_iso', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export const planAudiences = ['user', 'vendor'] as const;
export type PlanAudience = (typeof planAudiences)[number];
export const billingPeriods = ['none', 'month', 'year'] as const;
export type BillingPeriod = (typeof billingPeriods)[number];

/** Subscription plans for users and for vendors. Limits are per billing period; null = no limit. */
export const plans = pgTable(
  'plans',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Stable key, e.g. `free`, `vendor_pro`. */
    name: text().notNull(),
    displayName: text().notNull(),
    description: text(),
    audience: text({ enum: planAudiences }).notNull(),
    amountMinor: integer().notNull(),
    currency: text().notNull(),
    billingPeriod: text({ enum: billingPeriods }).notNull(),
    creditsPerPeriod: integer().notNull().default(0),
    conversionLimit: integer(),
    galleryLimit: integer(),
    hasWatermark: boolean().notNull().default(false),
    /** How long generated results are kept, in days; null = until deleted. */
    retentionDays: integer(),
    /** How long uploaded images are kept, in days; null = until deleted. */
    uploadRetentionDays: integer(),
    /** The most a user's own uploads (kinds upload, training, avatar) may hold at once, in MiB; null = no limit. */
    uploadStorageMb: integer().default(1024),
    /** Uploads a user may make in an hour; null = no limit. */
    uploadsPerHour: integer().default(120),
    features: jsonb().$type<string[]>().notNull().default([]),
    providerPriceIds: jsonb().$type<ProviderPriceIds>().notNull().default({}),
    isActive: boolean().notNull().default(true),
    sortOrder: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('plans_name').on(t.name),
    check('plans_audience_check', sql`${t.audience} in ('user','vendor')`),
    check('plans_billing_period_check', sql`${t.billingPeriod} in ('none','month','year')`),
    check('plans_amount_nonneg', sql`${t.amountMinor} >= 0`),
    check('plans_credits_nonneg', sql`${t.creditsPerPeriod} >= 0`),
    check('plans_currency_iso', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('plans_upload_limits_pos', sql`(${t.uploadStorageMb} is null or ${t.uploadStorageMb} > 0) and (${t.uploadsPerHour} is null or ${t.uploadsPerHour} > 0)`),
    check('plans_retention_pos', sql`(${t.retentionDays} is null or ${t.retentionDays} > 0) and (${t.uploadRetentionDays} is null or ${t.uploadRetentionDays} > 0)`),
  ],
);
