/** The rows an admin's change to a user reads and locks (PATCH /admin/users/{id}, decision 060). */
import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { users, type UserRole } from './accounts.tables.ts';
import type { UserRow } from './accounts.queries.ts';

/**
 * Locks every active admin, in id order, and returns their ids. Every change that could take away
 * an active admin takes these locks first and in the same order, so two such changes run one after
 * the other (no deadlock); the second re-reads the rows and sees the first one's result.
 */
export async function lockActiveAdmins(db: DbOrTx): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.isActive, true)))
    .orderBy(asc(users.id))
    .for('update');
  return rows.map((r) => r.id);
}

export async function lockUser(db: DbOrTx, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).for('update');
  return row;
}

export async function setUserRoleAndActive(db: DbOrTx, id: string, patch: { role?: UserRole; isActive?: boolean }, at: Date): Promise<void> {
  await db
    .update(users)
    .set({ ...patch, updatedAt: at })
    .where(eq(users.id, id));
}
