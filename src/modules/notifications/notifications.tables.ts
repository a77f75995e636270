import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const ts = () => timestamp({ withTimezone: true, precision: 3 });

/**
 * Email templates, Liquid in three parts, one row per message key and locale. The system's own keys
 * (platform/mail/email-sender.ts) get their defaults written at first use; admins edit them and add
 * their own keys for campaigns.
 */
export const emailTemplates = pgTable(
  'email_templates',
  {
    id: uuid().primaryKey().defaultRandom(),
    key: text().notNull(),
    locale: text().notNull(),
    subject: text().notNull(),
    html: text().notNull(),
    text: text().notNull(),
    isActive: boolean().notNull().default(true),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [uniqueIndex('email_templates_key_locale_key').on(t.key, t.locale), index('email_templates_created_at_idx').on(t.createdAt)],
);

export const emailLogStatuses = ['queued', 'sent', 'delivered', 'opened', 'clicked', 'bounced', 'complained', 'failed'] as const;
export type EmailLogStatus = (typeof emailLogStatuses)[number];

/** One row per message sent, system or campaign; the body is not kept (it may carry a code). */
export const emailLogs = pgTable(
  'email_logs',
  {
    id: uuid().primaryKey().defaultRandom(),
    to: text().notNull(),
    templateKey: text().notNull(),
    locale: text().notNull(),
    campaignId: uuid().references(() => emailCampaigns.id, { onDelete: 'set null' }),
    status: text({ enum: emailLogStatuses }).notNull().default('queued'),
    providerMessageId: text(),
    error: text(),
    /** When the recipient used this message's unsubscribe link (campaign mail). */
    unsubscribedAt: ts(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    index('email_logs_created_at_idx').on(t.createdAt, t.id),
    index('email_logs_to_idx').on(t.to, t.createdAt),
    index('email_logs_provider_message_id_idx').on(t.providerMessageId),
    // One message per campaign and address: a campaign sent again, or a batch delivered twice, mails no one twice.
    uniqueIndex('email_logs_campaign_to_key').on(t.campaignId, t.to),
    check('email_logs_status_check', sql`${t.status} in ('queued', 'sent', 'delivered', 'opened', 'clicked', 'bounced', 'complained', 'failed')`),
  ],
);

export const campaignStatuses = ['draft', 'sending', 'sent', 'cancelled'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

/** Who a campaign is for, on top of "opted in to marketing mail, active, verified email". */
export interface CampaignAudience {
  roles?: ('user' | 'vendor' | 'admin')[];
  plan_ids?: string[];
  signed_up_from?: string;
  signed_up_to?: string;
  has_purchased?: boolean;
  locale?: string;
}

export const emailCampaigns = pgTable(
  'email_campaigns',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    templateId: uuid()
      .notNull()
      .references(() => emailTemplates.id, { onDelete: 'restrict' }),
    audience: jsonb().$type<CampaignAudience>().notNull().default({}),
    status: text({ enum: campaignStatuses }).notNull().default('draft'),
    scheduledAt: ts(),
    /** How many opted-in users the audience held when sending started. */
    recipients: integer().notNull().default(0),
    startedAt: ts(),
    completedAt: ts(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    index('email_campaigns_created_at_idx').on(t.createdAt, t.id),
    check('email_campaigns_status_check', sql`${t.status} in ('draft', 'sending', 'sent', 'cancelled')`),
  ],
);
