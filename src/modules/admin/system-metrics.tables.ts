/**
 * Snapshots of the system's health, one every few minutes (decision 064): what `GET /admin/system`
 * says now, kept so `GET /admin/system/metrics` can show how it went.
 */
import { bigint, doublePrecision, index, integer, jsonb, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';

export const systemMetrics = pgTable(
  'system_metrics',
  {
    id: uuid().primaryKey().defaultRandom(),
    recordedAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    /** Length of the window the rates cover: since the previous snapshot, at most an hour. */
    windowSeconds: integer().notNull(),
    /** Jobs waiting (queued or deferred) and running, over every queue. */
    queueQueued: integer().notNull(),
    queueActive: integer().notNull(),
    queueFailed: integer().notNull(),
    /** Generations that ended in the window, and how many of them failed. */
    generationsFinished: integer().notNull(),
    generationsFailed: integer().notNull(),
    throughputPerMinute: doublePrecision().notNull(),
    errorRate: doublePrecision().notNull(),
    providerCalls: integer().notNull(),
    providerErrors: integer().notNull(),
    databaseBytes: bigint({ mode: 'number' }).notNull(),
    storageBytes: bigint({ mode: 'number' }).notNull(),
    /** Per-queue counts as pg-boss reported them. */
    queues: jsonb().$type<Array<{ name: string; queued: number; active: number; failed: number }>>().notNull().default([]),
  },
  (t) => [index('system_metrics_recorded_idx').on(t.recordedAt)],
);
