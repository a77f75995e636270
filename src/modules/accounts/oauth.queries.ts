/** Linked provider accounts and OAuth sign-ins under way. */
import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { oauthLoginStates, userIdentities, users, type OAuthProvider } from './accounts.tables.ts';
import type { UserRow } from './accounts.queries.ts';

export type IdentityRow = typeof userIdentities.$inferSelect;
export type LoginStateRow = typeof oauthLoginStates.$inferSelect;

export async function insertLoginState(db: DbOrTx, row: typeof oauthLoginStates.$inferInsert): Promise<void> {
  await db.insert(oauthLoginStates).values(row);
}

/** Takes the sign-in under way out of the table: a state works once, replayed callbacks find nothing. */
export async function takeLoginState(db: DbOrTx, stateHash: string, provider: OAuthProvider): Promise<LoginStateRow | undefined> {
  const [row] = await db
    .delete(oauthLoginStates)
    .where(and(eq(oauthLoginStates.stateHash, stateHash), eq(oauthLoginStates.authProvider, provider)))
    .returning();
  return row;
}

export async function deleteExpiredLoginStates(db: DbOrTx, now: Date): Promise<number> {
  const rows = await db.delete(oauthLoginStates).where(lt(oauthLoginStates.expiresAt, now)).returning({ h: oauthLoginStates.stateHash });
  return rows.length;
}

export async function findIdentityWithUser(db: DbOrTx, provider: OAuthProvider, subject: string): Promise<{ identity: IdentityRow; user: UserRow } | undefined> {
  const [row] = await db
    .select({ identity: userIdentities, user: users })
    .from(userIdentities)
    .innerJoin(users, eq(users.id, userIdentities.userId))
    .where(and(eq(userIdentities.authProvider, provider), eq(userIdentities.authProviderId, subject)));
  return row;
}

/** Links unless this provider account or this user's link to the provider exists; then undefined. */
export async function insertIdentityIfFree(db: DbOrTx, row: typeof userIdentities.$inferInsert): Promise<IdentityRow | undefined> {
  const [inserted] = await db.insert(userIdentities).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function touchIdentity(db: DbOrTx, id: string, patch: { email: string | null; emailVerified: boolean; lastLoginAt: Date }): Promise<void> {
  await db.update(userIdentities).set(patch).where(eq(userIdentities.id, id));
}

export async function listIdentities(db: DbOrTx, userId: string): Promise<IdentityRow[]> {
  return db.select().from(userIdentities).where(eq(userIdentities.userId, userId)).orderBy(asc(userIdentities.createdAt), asc(userIdentities.authProvider));
}

export async function deleteIdentity(db: DbOrTx, userId: string, provider: OAuthProvider): Promise<boolean> {
  const rows = await db
    .delete(userIdentities)
    .where(and(eq(userIdentities.userId, userId), eq(userIdentities.authProvider, provider)))
    .returning({ id: userIdentities.id });
  return rows.length > 0;
}

/** Locks the user row, so two unlinks at once cannot both leave the account without a way in. */
export async function lockUser(db: DbOrTx, userId: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, userId)).for('update');
  return row;
}

export async function countIdentities(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db.select({ n: sql<string>`count(*)` }).from(userIdentities).where(eq(userIdentities.userId, userId));
  return Number(row?.n ?? 0);
}
