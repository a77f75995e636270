/** email_templates. */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { afterCursor } from '../../platform/db/keyset.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { Cursor } from '../../platform/http/pagination.ts';
import { emailTemplates } from './notifications.tables.ts';

export type EmailTemplateRow = typeof emailTemplates.$inferSelect;
export type NewEmailTemplate = typeof emailTemplates.$inferInsert;

/** Writes the rows whose key and locale are absent; present ones (perhaps edited) stay as they are. */
export async function insertMissingTemplates(db: DbOrTx, rows: NewEmailTemplate[]): Promise<void> {
  if (rows.length > 0) await db.insert(emailTemplates).values(rows).onConflictDoNothing();
}

/** The active rows of a key in the given locales (the caller picks by preference). */
export async function findActiveTemplates(db: DbOrTx, key: string, locales: string[]): Promise<EmailTemplateRow[]> {
  return db
    .select()
    .from(emailTemplates)
    .where(and(eq(emailTemplates.key, key), inArray(emailTemplates.locale, locales), eq(emailTemplates.isActive, true)));
}

export async function findTemplate(db: DbOrTx, id: string): Promise<EmailTemplateRow | undefined> {
  const [row] = await db.select().from(emailTemplates).where(eq(emailTemplates.id, id));
  return row;
}

export async function listTemplates(db: DbOrTx, f: { key?: string; locale?: string }, cursor: Cursor | undefined, limit: number): Promise<EmailTemplateRow[]> {
  return db
    .select()
    .from(emailTemplates)
    .where(
      and(
        f.key ? eq(emailTemplates.key, f.key) : undefined,
        f.locale ? eq(emailTemplates.locale, f.locale) : undefined,
        afterCursor(emailTemplates.createdAt, emailTemplates.id, cursor),
      ),
    )
    .orderBy(desc(emailTemplates.createdAt), desc(emailTemplates.id))
    .limit(limit + 1);
}

/** Undefined when the key and locale are taken (no aborted transaction). */
export async function insertTemplateIfFree(db: DbOrTx, row: NewEmailTemplate): Promise<EmailTemplateRow | undefined> {
  const [inserted] = await db.insert(emailTemplates).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function updateTemplate(db: DbOrTx, id: string, patch: Partial<NewEmailTemplate>): Promise<EmailTemplateRow | undefined> {
  const [row] = await db.update(emailTemplates).set(patch).where(eq(emailTemplates.id, id)).returning();
  return row;
}

export async function deleteTemplate(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db.delete(emailTemplates).where(eq(emailTemplates.id, id)).returning({ id: emailTemplates.id });
  return rows.length > 0;
}
