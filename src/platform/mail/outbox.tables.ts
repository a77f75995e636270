import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Messages "sent" by the outbox transport: the dev/offline stand-in for SMTP and SMS, readable at
 * GET /api/v1/dev/outbox. Kept in the database so an API node can read what a worker sent.
 */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    channel: text({ enum: ['email', 'sms'] }).notNull(),
    to: text().notNull(),
    subject: text(),
    body: text().notNull(),
    html: text(),
    /** The one-time code the message carries, if any, so tests and developers can read it. */
    code: text(),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('outbox_messages_to_idx').on(t.to, t.createdAt)],
);
