/** Request and response schemas of the accounts module (Z… schemas, T… types). */
import { z } from 'zod';
import { userRoles } from './accounts.tables.ts';

export const ZEmail = z.string().trim().toLowerCase().pipe(z.email().max(254));
/** E.164: a plus, a country code, at most 15 digits in all. */
export const ZPhone = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +989121234567');
export const ZPassword = z.string().min(8, 'must be at least 8 characters').max(256);
export const ZLocale = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 tag such as en or fa-IR');

export const ZOtpPurpose = z.enum(['phone_verify', 'email_verify', 'password_reset', 'login']);

/** Exactly one of email or phone names the account. */
const oneIdentifier = <T extends { email?: string | undefined; phone?: string | undefined }>(v: T, ctx: z.RefinementCtx) => {
  if (!v.email && !v.phone) ctx.addIssue({ code: 'custom', path: ['email'], message: 'email or phone is required' });
  if (v.email && v.phone) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'send email or phone, not both' });
};

export const ZRegisterBody = z
  .object({
    email: ZEmail.optional(),
    phone: ZPhone.optional(),
    password: ZPassword,
    full_name: z.string().trim().min(1).max(200).optional(),
    account_type: z.enum(['user', 'vendor']).default('user'),
    business_name: z.string().trim().min(1).max(200).optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.email && !v.phone) ctx.addIssue({ code: 'custom', path: ['email'], message: 'email or phone is required' });
    if (v.account_type === 'vendor' && !v.business_name) {
      ctx.addIssue({ code: 'custom', path: ['business_name'], message: 'required for vendor accounts' });
    }
  });
export type TRegisterBody = z.infer<typeof ZRegisterBody>;

export const ZLoginBody = z
  .object({ email: ZEmail.optional(), phone: ZPhone.optional(), password: z.string().min(1).max(256) })
  .superRefine(oneIdentifier);
export type TLoginBody = z.infer<typeof ZLoginBody>;

export const ZRefreshBody = z.object({ refresh_token: z.string().min(1).max(512).optional() });
export const ZLogoutBody = z.object({ refresh_token: z.string().min(1).max(512).optional() }).default({});

export const ZOtpRequestBody = z
  .object({ email: ZEmail.optional(), phone: ZPhone.optional(), purpose: ZOtpPurpose })
  .superRefine(oneIdentifier);
export type TOtpRequestBody = z.infer<typeof ZOtpRequestBody>;

export const ZOtpCode = z.string().trim().regex(/^\d{6}$/, 'must be the 6-digit code');
export const ZOtpVerifyBody = z
  .object({ email: ZEmail.optional(), phone: ZPhone.optional(), purpose: ZOtpPurpose, code: ZOtpCode })
  .superRefine(oneIdentifier);
export type TOtpVerifyBody = z.infer<typeof ZOtpVerifyBody>;

export const ZPasswordResetBody = z
  .object({ email: ZEmail.optional(), phone: ZPhone.optional(), code: ZOtpCode, new_password: ZPassword })
  .superRefine(oneIdentifier);
export type TPasswordResetBody = z.infer<typeof ZPasswordResetBody>;

export const ZPasswordChangeBody = z.object({ current_password: z.string().min(1).max(256), new_password: ZPassword });

export const ZPatchMeBody = z
  .object({
    full_name: z.string().trim().min(1).max(200).nullable(),
    bio: z.string().trim().max(2000).nullable(),
    company: z.string().trim().max(200).nullable(),
    avatar_asset_id: z.uuid().nullable(),
    locale: ZLocale.nullable(),
  })
  .partial()
  .strict();
export type TPatchMeBody = z.infer<typeof ZPatchMeBody>;

export const ZCreateApiKeyBody = z.object({ name: z.string().trim().min(1).max(100) });

export const ZIdParams = z.object({ id: z.uuid() });

const ZTimestamp = z.iso.datetime();

export const ZVendorProfile = z.object({
  business_name: z.string(),
  slug: z.string(),
  bio: z.string().nullable(),
  location: z.string().nullable(),
  profile_info: z.record(z.string(), z.unknown()),
  contact_info: z.record(z.string(), z.unknown()),
  social_links: z.record(z.string(), z.unknown()),
  /** Set by an admin only (PATCH /admin/users/{id} `vendor_verified`). */
  is_verified: z.boolean(),
});
export type TVendorProfile = z.infer<typeof ZVendorProfile>;

/** A vendor page address: lower-case ASCII words joined by single hyphens (what slugify makes). */
export const ZVendorSlug = z
  .string()
  .trim()
  .min(2)
  .max(48)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case letters and digits in words joined by single hyphens');

/** How to reach the vendor; every field optional, nothing else accepted. */
export const ZVendorContactInfo = z.strictObject({
  email: ZEmail.optional(),
  phone: z.string().trim().min(3).max(40).optional(),
  website: z.url({ protocol: /^https?$/ }).max(500).optional(),
  address: z.string().trim().max(500).optional(),
});

/** Network name (e.g. instagram) → https link, at most 10. */
export const ZVendorSocialLinks = z
  .record(z.string().regex(/^[a-z0-9_-]{1,32}$/, 'a lower-case network name such as instagram'), z.url({ protocol: /^https?$/ }).max(500))
  .refine((links) => Object.keys(links).length <= 10, 'at most 10 links');

/** PATCH /me/vendor-profile: `is_verified` is not here (strict: sending it is a 400). */
export const ZPatchVendorProfileBody = z
  .strictObject({
    business_name: z.string().trim().min(1).max(200),
    slug: ZVendorSlug,
    bio: z.string().trim().max(2000).nullable(),
    contact_info: ZVendorContactInfo,
    social_links: ZVendorSocialLinks,
    location: z.string().trim().max(200).nullable(),
  })
  .partial();
export type TPatchVendorProfileBody = z.infer<typeof ZPatchVendorProfileBody>;

/** PATCH /admin/users/{id}: any of role, active flag and a vendor's verification, at least one (decision 060). */
export const ZAdminPatchUserBody = z
  .strictObject({ role: z.enum(userRoles).optional(), is_active: z.boolean().optional(), vendor_verified: z.boolean().optional() })
  .refine((b) => b.role !== undefined || b.is_active !== undefined || b.vendor_verified !== undefined, {
    message: 'give at least one of role, is_active, vendor_verified',
  });
export type TAdminPatchUserBody = z.infer<typeof ZAdminPatchUserBody>;

/** The shape billing's effective plan takes in GET /me (billing fills it; see AccountsDeps.planOf). */
export const ZUserPlan = z.object({
  id: z.uuid(),
  name: z.string(),
  display_name: z.string(),
  audience: z.enum(['user', 'vendor']),
  has_watermark: z.boolean(),
  conversion_limit: z.number().int().nullable(),
  gallery_limit: z.number().int().nullable(),
  /** Days generated results are kept; null = until deleted. */
  retention_days: z.number().int().nullable(),
  /** Days uploads are kept; null = until deleted. */
  upload_retention_days: z.number().int().nullable(),
  /** MiB a user's own uploads may hold at once; null = no limit. */
  upload_storage_mb: z.number().int().nullable(),
  /** Uploads a user may make in an hour; null = no limit. */
  uploads_per_hour: z.number().int().nullable(),
  features: z.array(z.string()),
  /** `subscription` while a subscription is in force, else `free`. */
  source: z.enum(['subscription', 'free']),
  current_period_end: ZTimestamp.nullable(),
  cancel_at_period_end: z.boolean(),
});
export type TUserPlan = z.infer<typeof ZUserPlan>;

export const ZUser = z.object({
  id: z.uuid(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  full_name: z.string().nullable(),
  bio: z.string().nullable(),
  company: z.string().nullable(),
  avatar_asset_id: z.uuid().nullable(),
  /** A link to the avatar image, good for about an hour; ask again for a fresh one. */
  avatar_url: z.string().nullable(),
  locale: z.string().nullable(),
  role: z.enum(userRoles),
  is_active: z.boolean(),
  email_verified: z.boolean(),
  phone_verified: z.boolean(),
  credits: z.object({ available: z.number().int(), held: z.number().int() }),
  /** The plan in force: the subscription's, else the free plan of the user's audience. */
  plan: ZUserPlan.nullable(),
  vendor_profile: ZVendorProfile.optional(),
  last_login_at: ZTimestamp.nullable(),
  created_at: ZTimestamp,
});
export type TUser = z.infer<typeof ZUser>;

export const ZAuthResponse = z.object({
  user: ZUser,
  /** Omitted in cookie mode (X-Atelier-Auth: cookie), where the tokens travel in httpOnly cookies. */
  access_token: z.string().optional(),
  refresh_token: z.string().optional(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
});
export type TAuthResponse = z.infer<typeof ZAuthResponse>;

export const ZOtpVerifyResponse = z.union([
  ZAuthResponse,
  z.object({ verified: z.literal(true), purpose: ZOtpPurpose }),
]);

export const ZSession = z.object({
  id: z.uuid(),
  user_agent: z.string().nullable(),
  ip: z.string().nullable(),
  current: z.boolean(),
  created_at: ZTimestamp,
  last_used_at: ZTimestamp,
  expires_at: ZTimestamp,
});

export const ZApiKey = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  last_used_at: ZTimestamp.nullable(),
  created_at: ZTimestamp,
});
export const ZCreatedApiKey = ZApiKey.extend({ key: z.string() });
