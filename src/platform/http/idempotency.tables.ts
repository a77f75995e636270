import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Stored first responses of money-moving requests, keyed per caller. Written in the same transaction
 * as the work, so a key exists exactly when its effects do.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    /** `user:<id>` or `anon:<ip>`: keys are private to whoever sent them. */
    scope: text().notNull(),
    key: text().notNull(),
    /** `POST /api/v1/generations` — the same key on another route is a different request. */
    route: text().notNull(),
    requestHash: text().notNull(),
    statusCode: integer().notNull(),
    responseBody: jsonb(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);
