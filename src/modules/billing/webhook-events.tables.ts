import { sql } from 'drizzle-orm';
import { check, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { paymentProviders } from './payments.tables.ts';

export const webhookEventStatuses = ['processed', 'ignored', 'failed'] as const;
export type WebhookEventStatus = (typeof webhookEventStatuses)[number];

/**
 * Every verified event a payment provider sent, once per (provider, event id). A `processed` or
 * `ignored` row is written in the same transaction as the event's effects, so a repeated delivery
 * finds it and changes nothing; a `failed` row (written after the rollback) is taken over by the
 * next delivery, so the provider's retry does the work again.
 */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    provider: text({ enum: paymentProviders }).notNull(),
    eventId: text().notNull(),
    type: text().notNull(),
    status: text({ enum: webhookEventStatuses }).notNull(),
    /** A few identifying fields (object type and id, livemode): never the payload, which holds customer details. */
    summary: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** Why it was ignored, or the error of the last failed attempt. */
    note: text(),
    receivedAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    processedAt: timestamp({ withTimezone: true, precision: 3 }),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('webhook_events_provider_event').on(t.provider, t.eventId),
    check('webhook_events_status_check', sql`${t.status} in ('processed','ignored','failed')`),
    check('webhook_events_provider_check', sql`${t.provider} in ('stripe','zarinpal','manual')`),
  ],
);
