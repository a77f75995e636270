import { and, eq, lt } from 'drizzle-orm';
import type { DbOrTx } from '../db/types.ts';
import { idempotencyKeys } from './idempotency.tables.ts';

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

/**
 * Claims a key. On PostgreSQL a concurrent claim of the same key waits on the unique index until
 * the first transaction ends, then finds the row: that is what serialises parallel replays.
 */
export async function claimKey(db: DbOrTx, row: typeof idempotencyKeys.$inferInsert): Promise<boolean> {
  const inserted = await db.insert(idempotencyKeys).values(row).onConflictDoNothing().returning({ key: idempotencyKeys.key });
  return inserted.length > 0;
}

export async function findKey(db: DbOrTx, scope: string, key: string): Promise<IdempotencyRow | undefined> {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  return row;
}

export async function storeResponse(db: DbOrTx, scope: string, key: string, statusCode: number, body: unknown): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ statusCode, responseBody: body })
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
}

/** Removes a claim that has no answer yet (its request failed, or died): the key may be used again. */
export async function releaseKey(db: DbOrTx, scope: string, key: string, inProgress: number, createdAt?: Date): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key), eq(idempotencyKeys.statusCode, inProgress), createdAt ? eq(idempotencyKeys.createdAt, createdAt) : undefined));
}

export async function deleteKeysOlderThan(db: DbOrTx, before: Date): Promise<number> {
  const rows = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, before)).returning({ key: idempotencyKeys.key });
  return rows.length;
}
