import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.ts';

export const exportStatuses = ['pending', 'processing', 'completed', 'failed'] as const;
export type ExportStatus = (typeof exportStatuses)[number];

/**
 * A user's request for a copy of their data. The zip lives in storage under `exports/<user id>/`
 * until `expires_at`; the row goes with the account.
 */
export const accountExports = pgTable(
  'account_exports',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text({ enum: exportStatuses }).notNull().default('pending'),
    storageKey: text(),
    sizeBytes: bigint({ mode: 'number' }),
    error: text(),
    completedAt: timestamp({ withTimezone: true, precision: 3 }),
    expiresAt: timestamp({ withTimezone: true, precision: 3 }),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('account_exports_user_idx').on(t.userId, t.createdAt),
    index('account_exports_expires_idx').on(t.expiresAt),
    check('account_exports_status_check', sql`${t.status} in ('pending','processing','completed','failed')`),
  ],
);
