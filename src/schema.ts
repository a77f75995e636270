/**
 * Every drizzle table of every module and of the platform, in one namespace, for drizzle-kit to
 * generate migrations from. It sits at the root, beside the composition root, because it gathers
 * from every module: the platform's database code does not need it (queries name their tables).
 */
export * from './modules/accounts/accounts.tables.ts';
export * from './modules/billing/credits.tables.ts';
export * from './modules/billing/offers.tables.ts';
export * from './modules/billing/payments.tables.ts';
export * from './modules/billing/promotions.tables.ts';
export * from './modules/billing/refunds.tables.ts';
export * from './modules/billing/webhook-events.tables.ts';
export * from './platform/audit/audit.tables.ts';
export * from './platform/http/idempotency.tables.ts';
export * from './platform/mail/outbox.tables.ts';
export * from './modules/media/media.tables.ts';
export * from './modules/privacy/privacy.tables.ts';
export * from './modules/generation/generation.tables.ts';
export * from './modules/catalog/subjects.tables.ts';
export * from './modules/catalog/catalog.tables.ts';
export * from './presets/installation.tables.ts';
export * from './modules/admin/system-metrics.tables.ts';
export * from './modules/notifications/notifications.tables.ts';
