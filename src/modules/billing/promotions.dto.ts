/** Schemas of coupons and gift cards. */
import { z } from 'zod';

const ZCode = z.string().trim().min(3).max(64);

export const ZCouponValidateBody = z
  .object({ code: ZCode, package_id: z.uuid().optional(), plan_id: z.uuid().optional() })
  .strict()
  .superRefine((v, ctx) => {
    if (Boolean(v.package_id) === Boolean(v.plan_id)) ctx.addIssue({ code: 'custom', path: ['package_id'], message: 'send package_id or plan_id, one of them' });
  });
export type TCouponValidateBody = z.infer<typeof ZCouponValidateBody>;

export const ZCouponValidation = z.object({ valid: z.boolean(), discount_minor: z.number().int(), credits: z.number().int() });
export type TCouponValidation = z.infer<typeof ZCouponValidation>;

export const ZRedeemBody = z.object({ code: ZCode }).strict();
export type TRedeemBody = z.infer<typeof ZRedeemBody>;

export const ZRedeemResult = z.object({ credits_awarded: z.number().int(), available: z.number().int() });
export type TRedeemResult = z.infer<typeof ZRedeemResult>;
