import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Facts about the installation itself, one row a key: `preset` records the product the database
 * was set up for (`{ name, applied_at }`), so a process started without ATELIER_PRESET runs it.
 */
export const installationSettings = pgTable('installation_settings', {
  key: text().primaryKey(),
  value: jsonb().$type<{ name: string; applied_at: string }>().notNull(),
  updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
});
