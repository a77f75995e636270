/**
 * The generation engine's tables. A generation is one request for `num_outputs` images of one type;
 * its credits are held at submission (`hold_id`) and captured for the outputs delivered when it
 * completes. `run_token` fences a run: only the attempt that claimed it last may finish it.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.ts';
// The tables files, not the catalog's index: the catalog module imports the engine's, and a cycle
// through index files would reach these tables before they exist.
import { products, templates } from '../catalog/catalog.tables.ts';
import { subjects } from '../catalog/subjects.tables.ts';

const ts = () => timestamp({ withTimezone: true, precision: 3 });

export const generationStatuses = ['pending', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type GenerationStatus = (typeof generationStatuses)[number];
export const finalStatuses: ReadonlySet<GenerationStatus> = new Set(['completed', 'failed', 'cancelled']);

export const webhookEventTypes = ['generation.started', 'generation.completed', 'generation.failed', 'generation.cancelled'] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const generationBatches = pgTable(
  'generation_batches',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text().notNull(),
    /** The catalog subject (headshots); deleting it leaves the batch and its generations, unnamed. */
    subjectId: uuid().references(() => subjects.id, { onDelete: 'set null' }),
    status: text({ enum: generationStatuses }).notNull().default('pending'),
    /** Seed 002: aspect_ratio, glasses, hair_color, hair_style, backgrounds, styles, reference ids. */
    params: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    imagesPerReference: integer().notNull().default(4),
    totalGenerations: integer().notNull().default(0),
    totalImages: integer().notNull().default(0),
    creditsReserved: integer().notNull().default(0),
    creditsUsed: integer().notNull().default(0),
    completedAt: ts(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [index('generation_batches_user_created_idx').on(t.userId, t.createdAt, t.id)],
);

export const generations = pgTable(
  'generations',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text().notNull(),
    studio: text().notNull(),
    status: text({ enum: generationStatuses }).notNull().default('pending'),
    // Catalog references. Deleting a product, subject or template leaves the history, its credits and
    // outputs, with the reference set to null (decision 021); `style` is a key, kept as written.
    productId: uuid().references(() => products.id, { onDelete: 'set null' }),
    subjectId: uuid().references(() => subjects.id, { onDelete: 'set null' }),
    templateId: uuid().references(() => templates.id, { onDelete: 'set null' }),
    style: text(),
    sourceAssetIds: uuid().array().notNull().default(sql`'{}'::uuid[]`),
    batchId: uuid().references(() => generationBatches.id, { onDelete: 'set null' }),
    prompt: text(),
    params: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    numOutputs: integer().notNull().default(1),
    provider: text().notNull(),
    model: text(),
    creditsPerOutput: integer().notNull(),
    creditsReserved: integer().notNull(),
    creditsUsed: integer().notNull().default(0),
    holdId: uuid(),
    /** What the provider charged, in millionths of a US dollar. */
    apiCostMicros: bigint({ mode: 'number' }).notNull().default(0),
    attempts: integer().notNull().default(0),
    errorCode: text(),
    errorMessage: text(),
    idempotencyKey: text(),
    webhookUrl: text(),
    webhookEvents: text().array().notNull().default(sql`'{}'::text[]`),
    deadlineAt: ts().notNull(),
    /** Set by each claim; a run writes its result only while the row still carries its token. */
    runToken: uuid(),
    startedAt: ts(),
    completedAt: ts(),
    generationDurationMs: integer(),
    isFavorited: boolean().notNull().default(false),
    userRating: integer(),
    userNotes: text(),
    /** Provider artifacts (a trained model's id), seed-specific extras. */
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    index('generations_user_created_idx').on(t.userId, t.createdAt, t.id),
    index('generations_status_created_idx').on(t.status, t.createdAt),
    index('generations_open_deadline_idx').on(t.deadlineAt).where(sql`${t.status} in ('pending', 'processing')`),
    index('generations_batch_idx').on(t.batchId),
    index('generations_product_idx').on(t.productId),
    // Analytics read generations by creation time (decision 063).
    index('generations_created_idx').on(t.createdAt),
    // System metrics count the generations that ended since the last snapshot (decision 064).
    index('generations_completed_idx').on(t.completedAt).where(sql`${t.completedAt} is not null`),
    uniqueIndex('generations_user_idempotency_key').on(t.userId, t.idempotencyKey),
    check('generations_status_check', sql`${t.status} in ('pending', 'processing', 'completed', 'failed', 'cancelled')`),
    check('generations_num_outputs_range', sql`${t.numOutputs} between 1 and 8`),
    check('generations_credits_nonneg', sql`${t.creditsReserved} >= 0 and ${t.creditsUsed} >= 0 and ${t.creditsUsed} <= ${t.creditsReserved}`),
    check('generations_rating_range', sql`${t.userRating} is null or ${t.userRating} between 1 and 5`),
  ],
);

/** The admin-editable price of each type, per output. A type without an active price is not offered. */
export const generationPrices = pgTable(
  'generation_prices',
  {
    id: uuid().primaryKey().defaultRandom(),
    type: text().notNull(),
    creditsPerOutput: integer().notNull(),
    isActive: boolean().notNull().default(true),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [uniqueIndex('generation_prices_type').on(t.type), check('generation_prices_credits_nonneg', sql`${t.creditsPerOutput} >= 0`)],
);

/** Every call to a provider (seed 001 `api_usage_logs`): summaries only, never secrets or bytes. */
export const providerCalls = pgTable(
  'provider_calls',
  {
    id: uuid().primaryKey().defaultRandom(),
    generationId: uuid().references(() => generations.id, { onDelete: 'cascade' }),
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    provider: text().notNull(),
    operation: text().notNull(),
    attempt: integer().notNull().default(1),
    status: text({ enum: ['ok', 'error'] }).notNull(),
    httpStatus: integer(),
    latencyMs: integer().notNull(),
    request: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    response: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    errorMessage: text(),
    costMicros: bigint({ mode: 'number' }).notNull().default(0),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [
    index('provider_calls_generation_idx').on(t.generationId),
    index('provider_calls_provider_created_idx').on(t.provider, t.createdAt),
    // GET /admin/provider-calls unfiltered and by status, newest first (decision 061).
    index('provider_calls_created_idx').on(t.createdAt, t.id),
    index('provider_calls_status_created_idx').on(t.status, t.createdAt),
  ],
);

/** The provider price table (seed 001): cost per operation from a date; the newest active row applies. */
export const apiCosts = pgTable(
  'api_costs',
  {
    id: uuid().primaryKey().defaultRandom(),
    provider: text().notNull(),
    /** A generation type, or `*` for every type of the provider. */
    operationType: text().notNull(),
    model: text(),
    costPerOperationMicros: bigint({ mode: 'number' }).notNull(),
    currency: text().notNull().default('USD'),
    effectiveDate: date({ mode: 'string' }).notNull(),
    isActive: boolean().notNull().default(true),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    index('api_costs_lookup_idx').on(t.provider, t.operationType, t.effectiveDate),
    check('api_costs_cost_nonneg', sql`${t.costPerOperationMicros} >= 0`),
    check('api_costs_currency_iso', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/** Per user per day (seed 000), updated in the transaction that ends each generation. */
export const usageStats = pgTable(
  'usage_stats',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    date: date({ mode: 'string' }).notNull(),
    totalGenerations: integer().notNull().default(0),
    successfulGenerations: integer().notNull().default(0),
    failedGenerations: integer().notNull().default(0),
    cancelledGenerations: integer().notNull().default(0),
    outputs: integer().notNull().default(0),
    creditsUsed: integer().notNull().default(0),
    totalCostMicros: bigint({ mode: 'number' }).notNull().default(0),
    totalDurationMs: bigint({ mode: 'number' }).notNull().default(0),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [uniqueIndex('usage_stats_user_date').on(t.userId, t.date)],
);

/** One row per attempt to deliver an outgoing webhook; `message_id` is the `webhook-id` header. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid().primaryKey().defaultRandom(),
    messageId: text().notNull(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    generationId: uuid().references(() => generations.id, { onDelete: 'cascade' }),
    eventType: text().notNull(),
    url: text().notNull(),
    attempt: integer().notNull(),
    status: text({ enum: ['delivered', 'failed'] }).notNull(),
    httpStatus: integer(),
    error: text(),
    durationMs: integer().notNull(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [index('webhook_deliveries_message_idx').on(t.messageId), index('webhook_deliveries_generation_idx').on(t.generationId)],
);
