/**
 * GET /admin/audit-logs, /admin/provider-calls and /admin/payments (decision 061): read-only pages
 * over the platform's audit trail, the engine's provider calls and billing's payments.
 */
import type { Db } from '../../platform/db/types.ts';
import { paymentView } from '../billing/index.ts';
import type { JsonValue } from '../../platform/http/schemas.ts';
import { decodeCursor, toPage } from '../../platform/http/pagination.ts';
import type { TAdminPayment, TAdminPaymentQuery, TAuditLog, TAuditLogQuery, TProviderCall, TProviderCallQuery } from './records.dto.ts';
import { listAuditLogs, listPayments, listProviderCalls, type AuditLogRow, type PaymentRow, type ProviderCallRow } from './records.queries.ts';

type JsonObject = Record<string, JsonValue>;

/** Admin writes keep `{ before, after, request }` in `details` (platform/audit/admin-write.ts); the rest stays in `details`. */
function auditView(r: AuditLogRow): TAuditLog {
  const { before = null, after = null, ...rest } = r.details as JsonObject;
  return {
    id: r.id,
    actor_type: r.actorType,
    actor_id: r.actorId,
    action: r.action,
    target_type: r.targetType,
    target_id: r.targetId,
    before,
    after,
    details: rest,
    ip: r.ip,
    user_agent: r.userAgent,
    created_at: r.createdAt.toISOString(),
  };
}

const providerCallView = (c: ProviderCallRow): TProviderCall => ({
  id: c.id,
  generation_id: c.generationId,
  user_id: c.userId,
  provider: c.provider,
  operation: c.operation,
  attempt: c.attempt,
  status: c.status,
  http_status: c.httpStatus,
  latency_ms: c.latencyMs,
  request: c.request as JsonObject,
  response: c.response as JsonObject,
  error_message: c.errorMessage,
  cost_usd: c.costMicros / 1_000_000,
  created_at: c.createdAt.toISOString(),
});

const adminPaymentView = (p: PaymentRow): TAdminPayment => ({
  ...paymentView(p),
  user_id: p.userId,
  coupon_id: p.couponId,
  provider_payment_id: p.providerPaymentId,
  provider_reference: p.providerReference,
  failure_reason: p.failureReason,
  updated_at: p.updatedAt.toISOString(),
});

export function createAdminRecordsService(deps: { db: Db }) {
  async function auditLogs(query: TAuditLogQuery) {
    const filter = { actorId: query.actor_id, action: query.action, targetType: query.target_type, targetId: query.target_id, from: query.from, to: query.to };
    const page = toPage(await listAuditLogs(deps.db, filter, decodeCursor(query.cursor), query.limit), query.limit, (r) => r);
    return { data: page.data.map(auditView), next_cursor: page.next_cursor };
  }

  async function providerCalls(query: TProviderCallQuery) {
    const filter = { provider: query.provider, status: query.status, generationId: query.generation_id, userId: query.user_id, from: query.from, to: query.to };
    const page = toPage(await listProviderCalls(deps.db, filter, decodeCursor(query.cursor), query.limit), query.limit, (r) => r);
    return { data: page.data.map(providerCallView), next_cursor: page.next_cursor };
  }

  async function payments(query: TAdminPaymentQuery) {
    const filter = { status: query.status, provider: query.provider, userId: query.user_id, from: query.from, to: query.to };
    const page = toPage(await listPayments(deps.db, filter, decodeCursor(query.cursor), query.limit), query.limit, (r) => r);
    return { data: page.data.map(adminPaymentView), next_cursor: page.next_cursor };
  }

  return { auditLogs, providerCalls, payments };
}

export type AdminRecordsService = ReturnType<typeof createAdminRecordsService>;
