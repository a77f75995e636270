/** GET · PATCH /me/preferences. */
import { z } from 'zod';
import { ZLocale } from './accounts.dto.ts';

export const ZPreferences = z.object({
  locale: z.string().nullable(),
  marketing_emails: z.boolean(),
  default_studio: z.string().nullable(),
  notifications: z.object({ generation_completed: z.boolean(), low_balance: z.boolean() }),
  updated_at: z.iso.datetime().nullable(),
});
export type TPreferences = z.infer<typeof ZPreferences>;

export const ZPatchPreferencesBody = z
  .strictObject({
    locale: ZLocale.nullable(),
    marketing_emails: z.boolean(),
    /** One of the studios this installation offers (checked by the service), or null for none. */
    default_studio: z.string().trim().min(1).max(50).nullable(),
    notifications: z.strictObject({ generation_completed: z.boolean(), low_balance: z.boolean() }).partial(),
  })
  .partial();
export type TPatchPreferencesBody = z.infer<typeof ZPatchPreferencesBody>;
