/** Schemas of the billing admin endpoints. */
import { z } from 'zod';
import { couponTypes } from './promotions.tables.ts';

export const ZUserIdParams = z.object({ id: z.uuid() });
export const ZIdParams = z.object({ id: z.uuid() });

export const ZAdjustCreditsBody = z
  .object({
    amount: z
      .number()
      .int()
      .refine((n) => n !== 0, 'must not be 0')
      .refine((n) => Math.abs(n) <= 1_000_000, 'at most 1,000,000 at a time'),
    reason: z.string().trim().min(3).max(500),
  })
  .strict();
export type TAdjustCreditsBody = z.infer<typeof ZAdjustCreditsBody>;

export const ZAdjustCreditsResult = z.object({ transaction_id: z.uuid(), amount: z.number().int(), available: z.number().int(), held: z.number().int() });

const ZTimestamp = z.iso.datetime({ offset: true });

export const ZCreateCouponBody = z
  .object({
    code: z.string().trim().regex(/^[A-Za-z0-9_-]{3,64}$/, '3–64 letters, digits, _ or -').transform((c) => c.toUpperCase()),
    type: z.enum(couponTypes),
    value: z.number().int().positive(),
    currency: z.string().regex(/^[A-Z]{3}$/).optional(),
    max_uses: z.number().int().positive().nullable().default(null),
    per_user_limit: z.number().int().positive().default(1),
    valid_from: ZTimestamp.nullable().default(null),
    valid_until: ZTimestamp.nullable().default(null),
    is_active: z.boolean().default(true),
    description: z.string().max(500).nullable().default(null),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.type === 'percentage' && v.value > 100) ctx.addIssue({ code: 'custom', path: ['value'], message: 'a percentage is at most 100' });
    if (v.type === 'fixed_amount' && !v.currency) ctx.addIssue({ code: 'custom', path: ['currency'], message: 'required for fixed_amount coupons' });
    if (v.valid_from && v.valid_until && new Date(v.valid_from) >= new Date(v.valid_until)) {
      ctx.addIssue({ code: 'custom', path: ['valid_until'], message: 'must be after valid_from' });
    }
  });
export type TCreateCouponBody = z.infer<typeof ZCreateCouponBody>;

export const ZPatchCouponBody = z
  .object({
    is_active: z.boolean(),
    max_uses: z.number().int().positive().nullable(),
    valid_until: ZTimestamp.nullable(),
    description: z.string().max(500).nullable(),
  })
  .partial()
  .strict();
export type TPatchCouponBody = z.infer<typeof ZPatchCouponBody>;

export const ZCoupon = z.object({
  id: z.uuid(),
  code: z.string(),
  type: z.enum(couponTypes),
  value: z.number().int(),
  currency: z.string().nullable(),
  max_uses: z.number().int().nullable(),
  uses_count: z.number().int(),
  per_user_limit: z.number().int(),
  valid_from: z.string().nullable(),
  valid_until: z.string().nullable(),
  is_active: z.boolean(),
  description: z.string().nullable(),
  created_at: z.string(),
});
export type TCoupon = z.infer<typeof ZCoupon>;
