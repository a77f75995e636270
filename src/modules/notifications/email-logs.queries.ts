/** email_logs: one row per message, its status moved by the transport and the provider's events. */
import { and, desc, eq, gte, isNull, ne, sql } from 'drizzle-orm';
import { afterCursor } from '../../platform/db/keyset.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { Cursor } from '../../platform/http/pagination.ts';
import { emailLogs, type EmailLogStatus } from './notifications.tables.ts';

export type EmailLogRow = typeof emailLogs.$inferSelect;
export type NewEmailLog = typeof emailLogs.$inferInsert;

/** Undefined when the campaign already has a row for this address (a second send claims nothing). */
export async function insertEmailLogIfNew(db: DbOrTx, row: NewEmailLog): Promise<EmailLogRow | undefined> {
  const [inserted] = await db.insert(emailLogs).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function findEmailLog(db: DbOrTx, id: string): Promise<EmailLogRow | undefined> {
  const [row] = await db.select().from(emailLogs).where(eq(emailLogs.id, id));
  return row;
}

/** Records the first use of a message's unsubscribe link; false when it was used before. */
export async function markUnsubscribed(db: DbOrTx, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(emailLogs)
    .set({ unsubscribedAt: now, updatedAt: now })
    .where(and(eq(emailLogs.id, id), isNull(emailLogs.unsubscribedAt)))
    .returning({ id: emailLogs.id });
  return rows.length > 0;
}

/** queued → sent or failed, once: the transport's answer. */
export async function finishEmailLog(
  db: DbOrTx,
  id: string,
  outcome: { status: 'sent'; providerMessageId: string } | { status: 'failed'; error: string },
  now: Date,
): Promise<void> {
  await db
    .update(emailLogs)
    .set(outcome.status === 'sent' ? { status: 'sent', providerMessageId: outcome.providerMessageId, updatedAt: now } : { status: 'failed', error: outcome.error, updatedAt: now })
    .where(and(eq(emailLogs.id, id), eq(emailLogs.status, 'queued')));
}

export interface EmailLogFilter {
  to?: string;
  status?: EmailLogStatus;
  campaignId?: string;
}

export async function listEmailLogs(db: DbOrTx, f: EmailLogFilter, cursor: Cursor | undefined, limit: number): Promise<EmailLogRow[]> {
  return db
    .select()
    .from(emailLogs)
    .where(
      and(
        f.to ? eq(emailLogs.to, f.to) : undefined,
        f.status ? eq(emailLogs.status, f.status) : undefined,
        f.campaignId ? eq(emailLogs.campaignId, f.campaignId) : undefined,
        afterCursor(emailLogs.createdAt, emailLogs.id, cursor),
      ),
    )
    .orderBy(desc(emailLogs.createdAt), desc(emailLogs.id))
    .limit(limit + 1);
}

/**
 * How far a message has got. A status only moves to a higher rank, so events that arrive late or
 * twice change nothing: a `delivered` after an `open` stays `opened`.
 */
export const statusRank: Record<EmailLogStatus, number> = { queued: 0, failed: 1, sent: 2, delivered: 3, opened: 4, clicked: 5, bounced: 6, complained: 7 };

/** Moves the row (by id, or by the provider's message id) forward to `status`; false when it was already there or past it. */
export async function advanceEmailLog(db: DbOrTx, by: { id?: string; providerMessageId?: string }, status: EmailLogStatus, now: Date): Promise<boolean> {
  const match = by.id ? eq(emailLogs.id, by.id) : by.providerMessageId ? eq(emailLogs.providerMessageId, by.providerMessageId) : undefined;
  if (!match) return false;
  const rank = sql`case ${emailLogs.status} ${sql.join(
    Object.entries(statusRank).map(([s, r]) => sql`when ${s} then ${r}`),
    sql` `,
  )} end`;
  const rows = await db
    .update(emailLogs)
    .set({ status, updatedAt: now })
    .where(and(match, sql`${rank} < ${statusRank[status]}`))
    .returning({ id: emailLogs.id });
  return rows.length > 0;
}

export async function findEmailLogBy(db: DbOrTx, by: { id?: string; providerMessageId?: string }): Promise<EmailLogRow | undefined> {
  const match = by.id ? eq(emailLogs.id, by.id) : by.providerMessageId ? eq(emailLogs.providerMessageId, by.providerMessageId) : undefined;
  if (!match) return undefined;
  const [row] = await db.select().from(emailLogs).where(match).limit(1);
  return row;
}

/** Whether a message of `templateKey` to `to` was logged (and not failed) since `since`. */
export async function sentSince(db: DbOrTx, to: string, templateKey: string, since: Date): Promise<boolean> {
  const rows = await db
    .select({ id: emailLogs.id })
    .from(emailLogs)
    .where(and(eq(emailLogs.to, to), eq(emailLogs.templateKey, templateKey), gte(emailLogs.createdAt, since), ne(emailLogs.status, 'failed')))
    .limit(1);
  return rows.length > 0;
}
