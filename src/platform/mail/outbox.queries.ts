import { and, desc, eq, isNotNull, lt, or } from 'drizzle-orm';
import type { DbOrTx } from '../db/types.ts';
import { outboxMessages } from './outbox.tables.ts';

export type OutboxRow = typeof outboxMessages.$inferSelect;
export type NewOutboxRow = typeof outboxMessages.$inferInsert;

export async function insertOutboxMessage(db: DbOrTx, row: NewOutboxRow): Promise<OutboxRow> {
  const [inserted] = await db.insert(outboxMessages).values(row).returning();
  return inserted!;
}

export async function listOutboxMessages(db: DbOrTx, opts: { to?: string; limit: number }): Promise<OutboxRow[]> {
  return db
    .select()
    .from(outboxMessages)
    .where(opts.to ? and(eq(outboxMessages.to, opts.to)) : undefined)
    .orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id))
    .limit(opts.limit);
}

/**
 * Deletes messages older than `before`, and those carrying a code (one-time or gift-card) already
 * when older than `codesBefore`: a code must not sit in clear text for long (decision 103).
 */
export async function deleteOutboxBefore(db: DbOrTx, before: Date, codesBefore: Date): Promise<number> {
  const rows = await db
    .delete(outboxMessages)
    .where(or(lt(outboxMessages.createdAt, before), and(isNotNull(outboxMessages.code), lt(outboxMessages.createdAt, codesBefore))))
    .returning({ id: outboxMessages.id });
  return rows.length;
}
