/** Schemas of POST /admin/payments/{id}/refund. */
import { z } from 'zod';
import { paymentProviders, paymentStatuses } from './payments.tables.ts';
import { refundKinds } from './refunds.tables.ts';

export const ZRefundParams = z.object({ id: z.uuid() });

export const ZRefundBody = z
  .object({
    /** Minor units of the payment's currency; all that is left of the payment when absent. */
    amount_minor: z.number().int().positive().max(2_000_000_000).optional(),
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .strict();
export type TRefundBody = z.infer<typeof ZRefundBody>;

export const ZRefundResult = z.object({
  id: z.uuid(),
  payment_id: z.uuid(),
  kind: z.enum(refundKinds),
  provider: z.enum(paymentProviders),
  provider_refund_id: z.string().nullable(),
  amount_minor: z.number().int(),
  currency: z.string(),
  reason: z.string().nullable(),
  /** Credits of the payment taken back from the buyer's balance. */
  credits_recovered: z.number().int(),
  /** Credits the refund should have taken back but that were spent, held or expired already. */
  credits_unrecovered: z.number().int(),
  created_at: z.string(),
  refunded_at: z.string().nullable(),
  payment: z.object({ status: z.enum(paymentStatuses), amount_minor: z.number().int(), refunded_minor: z.number().int() }),
});
export type TRefundResult = z.infer<typeof ZRefundResult>;
