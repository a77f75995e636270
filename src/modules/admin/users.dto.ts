/** GET /admin/users, /admin/users/{id} and /admin/users/{id}/activity (decision 060). */
import { z } from 'zod';
import { ZListQuery } from '../../platform/http/pagination.ts';
import { userRoles, ZUser } from '../accounts/index.ts';

const ZTimestamp = z.iso.datetime();

export const ZIdParams = z.object({ id: z.uuid() });

export const ZAdminUserQuery = ZListQuery.extend({
  /** Part of the email, phone or full name, case-insensitive. */
  q: z.string().trim().min(1).max(200).optional(),
  role: z.enum(userRoles).optional(),
  is_active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type TAdminUserQuery = z.infer<typeof ZAdminUserQuery>;

export const ZAdminUserListItem = z.object({
  id: z.uuid(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  full_name: z.string().nullable(),
  role: z.enum(userRoles),
  is_active: z.boolean(),
  email_verified: z.boolean(),
  phone_verified: z.boolean(),
  last_login_at: ZTimestamp.nullable(),
  created_at: ZTimestamp,
});
export type TAdminUserListItem = z.infer<typeof ZAdminUserListItem>;

/** The user as GET /me shows it (balance, plan, vendor profile) plus what billing and the engine count. */
export const ZAdminUserDetail = ZUser.extend({
  payments_count: z.number().int(),
  generations_count: z.number().int(),
});
export type TAdminUserDetail = z.infer<typeof ZAdminUserDetail>;

const base = { id: z.uuid(), created_at: ZTimestamp };
export const ZAdminUserActivity = z.discriminatedUnion('kind', [
  /** A sign-in: the session it opened. */
  z.object({ kind: z.literal('login'), ...base, ip: z.string().nullable(), user_agent: z.string().nullable() }),
  z.object({ kind: z.literal('generation'), ...base, type: z.string(), status: z.string(), credits_used: z.number().int() }),
  z.object({ kind: z.literal('payment'), ...base, provider: z.string(), status: z.string(), amount_minor: z.number().int(), currency: z.string() }),
  /**
   * An asset downloaded at least once. Atelier keeps a counter per asset, not a row per download, so
   * `id` is the asset's, `created_at` is when the asset was made, and `download_count` how often it was fetched.
   */
  z.object({ kind: z.literal('download'), ...base, filename: z.string(), download_count: z.number().int() }),
]);
export type TAdminUserActivity = z.infer<typeof ZAdminUserActivity>;
