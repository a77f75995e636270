/**
 * email_campaigns and their audience: active users with a verified email who turned marketing mail
 * on, narrowed by the campaign's filter, and not yet mailed by this campaign.
 */
import { and, count, desc, eq, gte, inArray, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import { userPreferences, users } from '../accounts/index.ts';
import { payments, subscriptions } from '../billing/index.ts';
import { afterCursor } from '../../platform/db/keyset.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { Cursor } from '../../platform/http/pagination.ts';
import { emailCampaigns, emailLogs, type CampaignAudience, type CampaignStatus } from './notifications.tables.ts';

export type CampaignRow = typeof emailCampaigns.$inferSelect;
export type NewCampaign = typeof emailCampaigns.$inferInsert;

export async function insertCampaign(db: DbOrTx, row: NewCampaign): Promise<CampaignRow> {
  const [inserted] = await db.insert(emailCampaigns).values(row).returning();
  return inserted!;
}

export async function findCampaign(db: DbOrTx, id: string): Promise<CampaignRow | undefined> {
  const [row] = await db.select().from(emailCampaigns).where(eq(emailCampaigns.id, id));
  return row;
}

export async function listCampaigns(db: DbOrTx, f: { status?: CampaignStatus }, cursor: Cursor | undefined, limit: number): Promise<CampaignRow[]> {
  return db
    .select()
    .from(emailCampaigns)
    .where(and(f.status ? eq(emailCampaigns.status, f.status) : undefined, afterCursor(emailCampaigns.createdAt, emailCampaigns.id, cursor)))
    .orderBy(desc(emailCampaigns.createdAt), desc(emailCampaigns.id))
    .limit(limit + 1);
}

/** Changes a campaign only while it is in one of `from` (undefined when it is not: a 409 for the caller). */
export async function updateCampaignIn(db: DbOrTx, id: string, from: CampaignStatus[], patch: Partial<NewCampaign>): Promise<CampaignRow | undefined> {
  const [row] = await db
    .update(emailCampaigns)
    .set(patch)
    .where(and(eq(emailCampaigns.id, id), inArray(emailCampaigns.status, from)))
    .returning();
  return row;
}

export async function deleteDraftCampaign(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db
    .delete(emailCampaigns)
    .where(and(eq(emailCampaigns.id, id), eq(emailCampaigns.status, 'draft')))
    .returning({ id: emailCampaigns.id });
  return rows.length > 0;
}

function audienceWhere(a: CampaignAudience): SQL | undefined {
  return and(
    eq(users.isActive, true),
    isNotNull(users.email),
    isNotNull(users.emailVerifiedAt),
    eq(userPreferences.marketingEmails, true),
    a.roles?.length ? inArray(users.role, a.roles) : undefined,
    a.signed_up_from ? gte(users.createdAt, new Date(a.signed_up_from)) : undefined,
    a.signed_up_to ? lt(users.createdAt, new Date(a.signed_up_to)) : undefined,
    a.locale ? sql`(${users.locale} = ${a.locale} or ${users.locale} like ${`${a.locale}-%`})` : undefined,
    a.plan_ids?.length
      ? sql`exists (select 1 from ${subscriptions} where ${subscriptions.userId} = ${users.id} and ${subscriptions.status} = 'active' and ${inArray(subscriptions.planId, a.plan_ids)})`
      : undefined,
    a.has_purchased === undefined
      ? undefined
      : a.has_purchased
        ? sql`exists (select 1 from ${payments} where ${payments.userId} = ${users.id} and ${payments.status} = 'completed')`
        : sql`not exists (select 1 from ${payments} where ${payments.userId} = ${users.id} and ${payments.status} = 'completed')`,
  );
}

export async function countAudience(db: DbOrTx, a: CampaignAudience): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users).innerJoin(userPreferences, eq(userPreferences.userId, users.id)).where(audienceWhere(a));
  return row?.n ?? 0;
}

export interface Recipient {
  email: string;
  fullName: string | null;
  locale: string | null;
}

/** The next recipients this campaign has not mailed yet, in a stable order. */
export async function nextRecipients(db: DbOrTx, campaignId: string, a: CampaignAudience, limit: number): Promise<Recipient[]> {
  const rows = await db
    .select({ email: users.email, fullName: users.fullName, locale: users.locale })
    .from(users)
    .innerJoin(userPreferences, eq(userPreferences.userId, users.id))
    .where(and(audienceWhere(a), sql`not exists (select 1 from ${emailLogs} where ${emailLogs.campaignId} = ${campaignId} and ${emailLogs.to} = ${users.email})`))
    .orderBy(users.id)
    .limit(limit);
  return rows.map((r) => ({ ...r, email: r.email! }));
}

/** Per status, how many of the campaign's messages are there, and how many were used to unsubscribe. */
export async function campaignLogCounts(db: DbOrTx, campaignId: string): Promise<{ byStatus: Map<string, number>; unsubscribed: number }> {
  const rows = await db
    .select({ status: emailLogs.status, n: count(), unsubscribed: sql<number>`count(${emailLogs.unsubscribedAt})::int` })
    .from(emailLogs)
    .where(eq(emailLogs.campaignId, campaignId))
    .groupBy(emailLogs.status);
  return { byStatus: new Map(rows.map((r) => [r.status, r.n])), unsubscribed: rows.reduce((s, r) => s + Number(r.unsubscribed), 0) };
}

export async function findUserIdByEmail(db: DbOrTx, email: string): Promise<string | undefined> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return row?.id;
}

export async function templateInUse(db: DbOrTx, templateId: string): Promise<boolean> {
  const [row] = await db.select({ id: emailCampaigns.id }).from(emailCampaigns).where(eq(emailCampaigns.templateId, templateId)).limit(1);
  return Boolean(row);
}
