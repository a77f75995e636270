/**
 * Every drizzle table of every module, in one namespace: drizzle-kit reads this file to generate
 * migrations, and the drivers get it for relational queries. Modules own their tables; this file
 * only gathers them.
 */
export * from '../../modules/accounts/accounts.tables.ts';
export * from '../../modules/billing/billing.tables.ts';
export * from '../../modules/billing/credits.tables.ts';
export * from '../../modules/billing/catalogue.tables.ts';
export * from '../../modules/billing/payments.tables.ts';
export * from '../../modules/billing/promotions.tables.ts';
export * from '../../modules/billing/webhook-events.tables.ts';
export * from '../../modules/admin/admin.tables.ts';
export * from '../http/idempotency.tables.ts';
export * from '../mail/outbox.tables.ts';
export * from '../../modules/media/media.tables.ts';
export * from '../../modules/privacy/privacy.tables.ts';
export * from '../../modules/generation/generation.tables.ts';
export * from '../../modules/catalog/subjects.tables.ts';
export * from '../../modules/catalog/catalog.tables.ts';
