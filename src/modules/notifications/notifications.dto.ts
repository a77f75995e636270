/** /admin/email-templates and /admin/email-logs. */
import { z } from 'zod';
import { ZListQuery } from '../../platform/http/pagination.ts';
import { emailLogStatuses } from './notifications.tables.ts';

const ZTimestamp = z.iso.datetime();

export const ZEmailTemplate = z.object({
  id: z.uuid(),
  key: z.string(),
  locale: z.string(),
  subject: z.string(),
  html: z.string(),
  text: z.string(),
  /** The variables this template may use (Liquid: `{{ name }}`). */
  variables: z.array(z.string()),
  is_active: z.boolean(),
  created_at: ZTimestamp,
  updated_at: ZTimestamp,
});
export type TEmailTemplate = z.infer<typeof ZEmailTemplate>;

const ZTemplatePart = z.string().max(200_000);
export const ZTemplateKey = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'lower-case letters, digits and _');
export const ZTemplateLocale = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 tag such as en or fa-IR');

export const ZCreateEmailTemplateBody = z.strictObject({
  key: ZTemplateKey,
  locale: ZTemplateLocale,
  subject: z.string().trim().min(1).max(500),
  html: ZTemplatePart.min(1),
  text: ZTemplatePart.min(1),
  is_active: z.boolean().default(true),
});
export type TCreateEmailTemplateBody = z.infer<typeof ZCreateEmailTemplateBody>;

export const ZPatchEmailTemplateBody = ZCreateEmailTemplateBody.omit({ key: true, locale: true }).partial();
export type TPatchEmailTemplateBody = z.infer<typeof ZPatchEmailTemplateBody>;

export const ZEmailTemplateQuery = ZListQuery.extend({ key: ZTemplateKey.optional(), locale: ZTemplateLocale.optional() });

export const ZPreviewBody = z.strictObject({ variables: z.record(z.string(), z.union([z.string().max(10_000), z.number()])).default({}) });
export const ZPreview = z.object({ subject: z.string(), html: z.string(), text: z.string() });

export const ZEmailLog = z.object({
  id: z.uuid(),
  to: z.string(),
  template_key: z.string(),
  locale: z.string(),
  campaign_id: z.uuid().nullable(),
  status: z.enum(emailLogStatuses),
  provider_message_id: z.string().nullable(),
  error: z.string().nullable(),
  created_at: ZTimestamp,
  updated_at: ZTimestamp,
});

export const ZEmailLogQuery = ZListQuery.extend({
  to: z.string().trim().toLowerCase().min(1).max(254).optional(),
  status: z.enum(emailLogStatuses).optional(),
  campaign_id: z.uuid().optional(),
});
export type TEmailLogQuery = z.infer<typeof ZEmailLogQuery>;

/** A time PostgreSQL accepts as well as the ISO pattern (year 1–9999), so a later send cannot fail on it. */
const ZAudienceTime = z.iso.datetime().refine((t) => {
  const year = new Date(t).getUTCFullYear();
  return year >= 1 && year <= 9999;
}, 'time out of range');

export const ZCampaignAudience = z.strictObject({
  roles: z.array(z.enum(['user', 'vendor', 'admin'])).min(1).max(3).optional(),
  plan_ids: z.array(z.uuid()).min(1).max(100).optional(),
  signed_up_from: ZAudienceTime.optional(),
  signed_up_to: ZAudienceTime.optional(),
  has_purchased: z.boolean().optional(),
  locale: ZTemplateLocale.optional(),
});

export const ZCampaignStats = z.object({
  recipients: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  opened: z.number().int(),
  clicked: z.number().int(),
  bounced: z.number().int(),
  unsubscribed: z.number().int(),
});

export const ZCampaign = z.object({
  id: z.uuid(),
  name: z.string(),
  template_id: z.uuid(),
  audience: ZCampaignAudience,
  status: z.enum(['draft', 'sending', 'sent', 'cancelled']),
  scheduled_at: ZTimestamp.nullable(),
  stats: ZCampaignStats,
  started_at: ZTimestamp.nullable(),
  completed_at: ZTimestamp.nullable(),
  created_at: ZTimestamp,
  updated_at: ZTimestamp,
});
export type TCampaign = z.infer<typeof ZCampaign>;

export const ZCreateCampaignBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  template_id: z.uuid(),
  audience: ZCampaignAudience.default({}),
  scheduled_at: z.iso.datetime().nullable().default(null),
});
export type TCreateCampaignBody = z.infer<typeof ZCreateCampaignBody>;

/** A draft may change anything; `status: cancelled` stops a draft or a campaign being sent. */
export const ZPatchCampaignBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    template_id: z.uuid(),
    audience: ZCampaignAudience,
    scheduled_at: z.iso.datetime().nullable(),
    status: z.literal('cancelled'),
  })
  .partial();
export type TPatchCampaignBody = z.infer<typeof ZPatchCampaignBody>;

export const ZCampaignQuery = ZListQuery.extend({ status: z.enum(['draft', 'sending', 'sent', 'cancelled']).optional() });
