import { and, desc, eq, lt } from 'drizzle-orm';
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

export async function deleteOutboxBefore(db: DbOrTx, before: Date): Promise<number> {
  const rows = await db.delete(outboxMessages).where(lt(outboxMessages.createdAt, before)).returning({ id: outboxMessages.id });
  return rows.length;
}
