/** The audit trail's table: who did what to which target, written in the transaction of the change. */
import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const auditActorTypes = ['system', 'user', 'vendor', 'admin'] as const;
export type AuditActorType = (typeof auditActorTypes)[number];

export const auditLogs = pgTable(
  'audit_logs',
  {
    id: uuid().primaryKey().defaultRandom(),
    actorType: text({ enum: auditActorTypes }).notNull(),
    // No foreign key: the platform knows no module's tables. Erasure nulls it (privacy's scrubPersonalTraces).
    actorId: uuid(),
    action: text().notNull(),
    targetType: text(),
    targetId: text(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    ip: text(),
    userAgent: text(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_logs_actor_idx').on(t.actorId, t.createdAt),
    index('audit_logs_action_idx').on(t.action, t.createdAt),
    index('audit_logs_target_idx').on(t.targetType, t.targetId),
    // The unfiltered list and its from/to window (decision 061).
    index('audit_logs_created_idx').on(t.createdAt, t.id),
    check('audit_logs_actor_type_check', sql`${t.actorType} in ('system','user','vendor','admin')`),
  ],
);
