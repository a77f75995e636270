/**
 * What an admin browses beside users: the audit trail, provider calls and payments, each newest
 * first on (created_at, id) keyset pages, every filter an index can serve (decision 061).
 */
import { and, desc, eq, gte, lt } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { auditLogs } from '../../platform/audit/audit.tables.ts';
import { afterCursor } from '../../platform/db/keyset.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { Cursor } from '../../platform/http/pagination.ts';
import { payments, type PaymentProvider } from '../billing/index.ts';
import { providerCalls } from '../generation/index.ts';

export type AuditLogRow = typeof auditLogs.$inferSelect;
export type ProviderCallRow = typeof providerCalls.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;

interface Window {
  from?: Date;
  to?: Date;
}
const within = (column: PgColumn, w: Window) => and(w.from ? gte(column, w.from) : undefined, w.to ? lt(column, w.to) : undefined);

export interface AuditLogFilter extends Window {
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
}

export async function listAuditLogs(db: DbOrTx, f: AuditLogFilter, cursor: Cursor | undefined, limit: number): Promise<AuditLogRow[]> {
  return db
    .select()
    .from(auditLogs)
    .where(
      and(
        f.actorId ? eq(auditLogs.actorId, f.actorId) : undefined,
        f.action ? eq(auditLogs.action, f.action) : undefined,
        f.targetType ? eq(auditLogs.targetType, f.targetType) : undefined,
        f.targetId ? eq(auditLogs.targetId, f.targetId) : undefined,
        within(auditLogs.createdAt, f),
        afterCursor(auditLogs.createdAt, auditLogs.id, cursor),
      ),
    )
    .orderBy(desc(auditLogs.createdAt), desc(auditLogs.id))
    .limit(limit + 1);
}

export interface ProviderCallFilter extends Window {
  provider?: string;
  status?: 'ok' | 'error';
  generationId?: string;
  userId?: string;
}

export async function listProviderCalls(db: DbOrTx, f: ProviderCallFilter, cursor: Cursor | undefined, limit: number): Promise<ProviderCallRow[]> {
  return db
    .select()
    .from(providerCalls)
    .where(
      and(
        f.provider ? eq(providerCalls.provider, f.provider) : undefined,
        f.status ? eq(providerCalls.status, f.status) : undefined,
        f.generationId ? eq(providerCalls.generationId, f.generationId) : undefined,
        f.userId ? eq(providerCalls.userId, f.userId) : undefined,
        within(providerCalls.createdAt, f),
        afterCursor(providerCalls.createdAt, providerCalls.id, cursor),
      ),
    )
    .orderBy(desc(providerCalls.createdAt), desc(providerCalls.id))
    .limit(limit + 1);
}

export interface PaymentFilter extends Window {
  status?: PaymentRow['status'];
  provider?: PaymentProvider;
  userId?: string;
}

export async function listPayments(db: DbOrTx, f: PaymentFilter, cursor: Cursor | undefined, limit: number): Promise<PaymentRow[]> {
  return db
    .select()
    .from(payments)
    .where(
      and(
        f.status ? eq(payments.status, f.status) : undefined,
        f.provider ? eq(payments.provider, f.provider) : undefined,
        f.userId ? eq(payments.userId, f.userId) : undefined,
        within(payments.createdAt, f),
        afterCursor(payments.createdAt, payments.id, cursor),
      ),
    )
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(limit + 1);
}
