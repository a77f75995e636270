import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { accountExports, type ExportStatus } from './privacy.tables.ts';
import type { UserDataSource } from './user-data.ts';

export type ExportRow = typeof accountExports.$inferSelect;

type Rows<T> = { rows: T[] };
const rowsOf = <T>(res: unknown): T[] => (res as Rows<T>).rows;

// ── export requests ──────────────────────────────────────────────────────────

export async function insertExport(db: DbOrTx, row: typeof accountExports.$inferInsert): Promise<ExportRow> {
  const [inserted] = await db.insert(accountExports).values(row).returning();
  return inserted!;
}

export async function findExport(db: DbOrTx, id: string): Promise<ExportRow | undefined> {
  const [row] = await db.select().from(accountExports).where(eq(accountExports.id, id));
  return row;
}

/** The user's export still being made, if any (one at a time per user). */
export async function findUnfinishedExport(db: DbOrTx, userId: string): Promise<ExportRow | undefined> {
  const [row] = await db
    .select()
    .from(accountExports)
    .where(and(eq(accountExports.userId, userId), inArray(accountExports.status, ['pending', 'processing'])))
    .orderBy(desc(accountExports.createdAt))
    .limit(1);
  return row;
}

/** Moves an export along only from the states given; undefined when it is not (or no longer) there. */
export async function moveExport(
  db: DbOrTx,
  id: string,
  from: ExportStatus[],
  patch: Partial<typeof accountExports.$inferInsert>,
): Promise<ExportRow | undefined> {
  const [row] = await db
    .update(accountExports)
    .set(patch)
    .where(and(eq(accountExports.id, id), inArray(accountExports.status, from)))
    .returning();
  return row;
}

/** Exports whose download has expired, and failed ones a week old. */
export async function findExpiredExports(db: DbOrTx, now: Date, failedBefore: Date, limit: number): Promise<ExportRow[]> {
  return db
    .select()
    .from(accountExports)
    .where(or(lt(accountExports.expiresAt, now), and(eq(accountExports.status, 'failed'), lt(accountExports.createdAt, failedBefore))))
    .limit(limit);
}

export async function deleteExport(db: DbOrTx, id: string): Promise<ExportRow | undefined> {
  const [row] = await db.delete(accountExports).where(eq(accountExports.id, id)).returning();
  return row;
}

// ── reading a user's rows for the export ─────────────────────────────────────

/** Every row of one source that belongs to the user, snake_case as stored, secrets left out. */
export async function selectUserRows(db: DbOrTx, source: UserDataSource, userId: string): Promise<Record<string, unknown>[]> {
  // Table and column names come from the constant list in user-data.ts, never from a request.
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select * from ${sql.identifier(source.table)} where ${sql.identifier(source.column)} = ${userId}`),
  );
  const omit = new Set(source.omit ?? []);
  return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !omit.has(k))));
}

/** The items of the user's collections (they point at collections, not at the user). */
export async function selectCollectionItems(db: DbOrTx, userId: string): Promise<Record<string, unknown>[]> {
  return rowsOf(
    await db.execute(sql`select ci.* from collection_items ci join collections c on c.id = ci.collection_id where c.owner_id = ${userId}`),
  );
}

/** The user's files, for the export's `files/` folder. */
export async function selectUserFiles(db: DbOrTx, userId: string): Promise<Array<{ id: string; filename: string; storage_key: string; size_bytes: number; created_at: Date }>> {
  const rows = rowsOf<{ id: string; filename: string; storage_key: string; size_bytes: number | string; created_at: Date | string }>(
    await db.execute(sql`select id, filename, storage_key, size_bytes, created_at from assets where owner_id = ${userId} order by created_at, id`),
  );
  return rows.map((r) => ({ ...r, size_bytes: Number(r.size_bytes), created_at: new Date(r.created_at) }));
}

/** Foreign keys that point at users.id, as the database knows them (for the coverage test). */
export async function userForeignKeys(db: DbOrTx): Promise<Array<{ table: string; column: string }>> {
  return rowsOf(
    await db.execute(sql`
      select kcu.table_name as "table", kcu.column_name as "column"
      from information_schema.referential_constraints rc
      join information_schema.key_column_usage kcu on kcu.constraint_name = rc.constraint_name and kcu.constraint_schema = rc.constraint_schema
      join information_schema.constraint_column_usage ccu on ccu.constraint_name = rc.unique_constraint_name and ccu.constraint_schema = rc.unique_constraint_schema
      where ccu.table_name = 'users' and ccu.column_name = 'id' and kcu.table_schema = 'public'
      order by 1, 2`),
  );
}

// ── erasure ──────────────────────────────────────────────────────────────────

/** Locks the user's row for the erasure; undefined when it is already gone. */
export async function lockUser(
  db: DbOrTx,
  userId: string,
): Promise<{ id: string; email: string | null; phone: string | null; role: string; password_hash: string | null } | undefined> {
  const [row] = rowsOf<{ id: string; email: string | null; phone: string | null; role: string; password_hash: string | null }>(
    await db.execute(sql`select id, email, phone, role, password_hash from users where id = ${userId} for update`),
  );
  return row;
}

export async function countOtherActiveAdmins(db: DbOrTx, userId: string): Promise<number> {
  const [row] = rowsOf<{ n: number | string }>(
    await db.execute(sql`select count(*) as n from users where role = 'admin' and is_active and id <> ${userId}`),
  );
  return Number(row!.n);
}

/**
 * Removes what would still name the person once the user row is gone: the actor and request
 * metadata in the audit trail, card digits on their payments, their address on gift cards sent to them, codes and
 * messages addressed to them, and stored idempotent responses of theirs.
 */
export async function scrubPersonalTraces(db: DbOrTx, user: { id: string; email: string | null; phone: string | null }): Promise<void> {
  const addresses = [user.email, user.phone].filter((a): a is string => Boolean(a));
  await db.execute(sql`update audit_logs set ip = null, user_agent = null where target_type = 'user' and target_id = ${user.id}`);
  // audit_logs.actor_id has no foreign key (the trail is the platform's): the actor is cut here.
  await db.execute(sql`update audit_logs set actor_id = null, ip = null, user_agent = null where actor_id = ${user.id}`);
  await db.execute(sql`update payments set gateway_card_pan = null where user_id = ${user.id}`);
  await db.execute(sql`delete from idempotency_keys where scope = ${`user:${user.id}`}`);
  for (const address of addresses) {
    await db.execute(sql`update gift_cards set recipient_email = null where recipient_email = ${address}`);
    await db.execute(sql`delete from otps where destination = ${address}`);
    await db.execute(sql`delete from outbox_messages where "to" = ${address}`);
    // The email log stays for the operator's delivery statistics (a campaign's counts), without the
    // address: each row gets a stand-in of its own, as (campaign, address) is unique.
    await db.execute(sql`update email_logs set "to" = 'erased:' || id::text where "to" = ${address}`);
  }
}

/** Deletes the user; the foreign keys cascade to their own rows and anonymise the books (set null). */
export async function deleteUser(db: DbOrTx, userId: string): Promise<boolean> {
  const res = await db.execute(sql`delete from users where id = ${userId} returning id`);
  return rowsOf(res).length === 1;
}
