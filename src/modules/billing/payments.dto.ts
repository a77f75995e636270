/** Schemas of checkout, payments and subscriptions. */
import { z } from 'zod';
import { ZPlan } from './offers.dto.ts';
import { paymentProviders, paymentPurposes, paymentStatuses, subscriptionStatuses } from './payments.tables.ts';

const ZTimestamp = z.iso.datetime();
const ZReturnUrl = z.url({ protocol: /^https?$/ }).max(2000);

export const ZCheckoutBody = z
  .object({
    package_id: z.uuid().optional(),
    plan_id: z.uuid().optional(),
    gift_card: z.object({ package_id: z.uuid(), recipient_email: z.string().trim().toLowerCase().pipe(z.email().max(254)) }).strict().optional(),
    provider: z.enum(paymentProviders),
    coupon_code: z.string().trim().min(1).max(64).optional(),
    return_url: ZReturnUrl.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ([v.package_id, v.plan_id, v.gift_card].filter(Boolean).length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['package_id'], message: 'send one of package_id, plan_id or gift_card' });
    }
  });
export type TCheckoutBody = z.infer<typeof ZCheckoutBody>;

export const ZPayment = z.object({
  id: z.uuid(),
  purpose: z.enum(paymentPurposes),
  provider: z.enum(paymentProviders),
  status: z.enum(paymentStatuses),
  amount_minor: z.number().int(),
  discount_minor: z.number().int(),
  /** How much of `amount_minor` has been refunded so far (refunds may be partial and add up). */
  refunded_minor: z.number().int(),
  currency: z.string(),
  credits: z.number().int(),
  package_id: z.uuid().nullable(),
  plan_id: z.uuid().nullable(),
  return_url: z.string().nullable(),
  created_at: ZTimestamp,
  completed_at: ZTimestamp.nullable(),
});
export type TPayment = z.infer<typeof ZPayment>;

export const ZCheckoutResult = z.object({ payment: ZPayment, redirect_url: z.string().nullable() });
export type TCheckoutResult = z.infer<typeof ZCheckoutResult>;

export const ZPaymentIdParams = z.object({ payment_id: z.uuid() });

export const ZSubscription = z.object({
  id: z.uuid(),
  status: z.enum(subscriptionStatuses),
  plan: ZPlan,
  current_period_start: ZTimestamp,
  current_period_end: ZTimestamp.nullable(),
  cancel_at_period_end: z.boolean(),
});
export type TSubscription = z.infer<typeof ZSubscription>;
export const ZSubscriptionResult = z.object({ subscription: ZSubscription.nullable() });
