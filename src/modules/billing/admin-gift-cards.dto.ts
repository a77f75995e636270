/** Schemas of /admin/gift-cards. */
import { z } from 'zod';
import { ZListQuery } from '../../platform/http/pagination.ts';
import { giftCardStatuses } from './promotions.tables.ts';

/** A time PostgreSQL will store as given (four-digit years), as a Date. */
const ZTime = z.iso.datetime({ offset: true }).transform((t, ctx) => {
  const at = new Date(t);
  if (Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1 || at.getUTCFullYear() > 9999) {
    ctx.addIssue({ code: 'custom', message: 'time out of range' });
    return z.NEVER;
  }
  return at;
});

export const ZGiftCardListQuery = ZListQuery.extend({
  status: z.enum(giftCardStatuses).optional(),
  /** A whole code, its last characters (as printed on the card), or the recipient's email. */
  q: z.string().trim().min(1).max(254).optional(),
});
export type TGiftCardListQuery = z.infer<typeof ZGiftCardListQuery>;

export const ZCreateGiftCardBody = z
  .object({
    credits: z.number().int().positive().max(1_000_000),
    /** Null: never expires. Must be in the future. */
    expires_at: ZTime.nullable().default(null),
    /** When given, the code is emailed here once the card exists. */
    recipient_email: z.string().trim().toLowerCase().pipe(z.email().max(254)).nullable().default(null),
  })
  .strict();
export type TCreateGiftCardBody = z.infer<typeof ZCreateGiftCardBody>;

export const ZPatchGiftCardBody = z
  .object({
    /** false switches an unredeemed card off (it cannot be redeemed); true switches it back on. */
    is_active: z.boolean(),
    expires_at: ZTime.nullable(),
  })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'name at least one of is_active, expires_at');
export type TPatchGiftCardBody = z.infer<typeof ZPatchGiftCardBody>;

export const ZAdminGiftCard = z.object({
  id: z.uuid(),
  /** The code's last four characters; the code itself is shown only when the card is issued. */
  code_last4: z.string(),
  /** An unredeemed card past its expiry shows `expired`. */
  status: z.enum(giftCardStatuses),
  credits: z.number().int(),
  /** `purchase`: bought through checkout; `promotional`: issued by an admin. */
  source: z.enum(['purchase', 'promotional']),
  buyer_user_id: z.uuid().nullable(),
  recipient_email: z.string().nullable(),
  package_id: z.uuid().nullable(),
  payment_id: z.uuid().nullable(),
  redeemed_by_user_id: z.uuid().nullable(),
  redeemed_at: z.string().nullable(),
  expires_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TAdminGiftCard = z.infer<typeof ZAdminGiftCard>;

export const ZIssuedGiftCard = ZAdminGiftCard.extend({
  /** Shown this once; only its hash is stored. */
  code: z.string(),
});
export type TIssuedGiftCard = z.infer<typeof ZIssuedGiftCard>;
