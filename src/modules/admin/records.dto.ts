/** GET /admin/audit-logs, /admin/provider-calls and /admin/payments (decision 061). */
import { z } from 'zod';
import { ZListQuery } from '../../platform/http/pagination.ts';
import { ZJsonValue } from '../../platform/http/schemas.ts';
import { paymentProviders, paymentStatuses, ZPayment } from '../billing/index.ts';
import { fromBeforeTo, ZFrom, ZTo } from './period.dto.ts';

const ZTimestamp = z.iso.datetime();
const ZName = z.string().trim().min(1).max(100);

export const ZAuditLogQuery = ZListQuery.extend({
  actor_id: z.uuid().optional(),
  action: ZName.optional(),
  target_type: ZName.optional(),
  target_id: z.string().trim().min(1).max(200).optional(),
  from: ZFrom.optional(),
  to: ZTo.optional(),
}).superRefine(fromBeforeTo);
export type TAuditLogQuery = z.infer<typeof ZAuditLogQuery>;

export const ZAuditLog = z.object({
  id: z.uuid(),
  actor_type: z.enum(['system', 'user', 'vendor', 'admin']),
  actor_id: z.uuid().nullable(),
  action: z.string(),
  target_type: z.string().nullable(),
  target_id: z.string().nullable(),
  /** The target as it was; null for a create or when the action has no row (a sign-in). */
  before: ZJsonValue,
  /** The target as it is after; null for a delete. */
  after: ZJsonValue,
  /** The rest of what the action recorded (the request of an admin write, counts, reasons). */
  details: z.record(z.string(), ZJsonValue),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  created_at: ZTimestamp,
});
export type TAuditLog = z.infer<typeof ZAuditLog>;

export const ZProviderCallQuery = ZListQuery.extend({
  provider: ZName.optional(),
  status: z.enum(['ok', 'error']).optional(),
  generation_id: z.uuid().optional(),
  user_id: z.uuid().optional(),
  from: ZFrom.optional(),
  to: ZTo.optional(),
}).superRefine(fromBeforeTo);
export type TProviderCallQuery = z.infer<typeof ZProviderCallQuery>;

export const ZProviderCall = z.object({
  id: z.uuid(),
  generation_id: z.uuid().nullable(),
  user_id: z.uuid().nullable(),
  provider: z.string(),
  operation: z.string(),
  attempt: z.number().int(),
  status: z.enum(['ok', 'error']),
  http_status: z.number().int().nullable(),
  latency_ms: z.number().int(),
  /** Summaries only: never secrets or bytes (the adapters write them so). */
  request: z.record(z.string(), ZJsonValue),
  response: z.record(z.string(), ZJsonValue),
  error_message: z.string().nullable(),
  cost_usd: z.number(),
  created_at: ZTimestamp,
});
export type TProviderCall = z.infer<typeof ZProviderCall>;

export const ZAdminPaymentQuery = ZListQuery.extend({
  status: z.enum(paymentStatuses).optional(),
  provider: z.enum(paymentProviders).optional(),
  user_id: z.uuid().optional(),
  from: ZFrom.optional(),
  to: ZTo.optional(),
}).superRefine(fromBeforeTo);
export type TAdminPaymentQuery = z.infer<typeof ZAdminPaymentQuery>;

/** The payment as its owner sees it, plus what only an admin reads. */
export const ZAdminPayment = ZPayment.extend({
  user_id: z.uuid().nullable(),
  coupon_id: z.uuid().nullable(),
  provider_payment_id: z.string().nullable(),
  provider_reference: z.string().nullable(),
  failure_reason: z.string().nullable(),
  updated_at: ZTimestamp,
});
export type TAdminPayment = z.infer<typeof ZAdminPayment>;
