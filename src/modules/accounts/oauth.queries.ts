/** Linked provider accounts and OAuth sign-ins under way. */
import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { oauthLoginStates, authIdentities, users, type OAuthProvider } from './accounts.tables.ts';
import type { UserRow } from './accounts.queries.ts';

export type IdentityRow = typeof authIdentities.$inferSelect;
export type LoginStateRow = typeof oauthLoginStates.$inferSelect;

export async function insertLoginState(db: DbOrTx, row: typeof oauthLoginStates.$inferInsert): Promise<void> {
  await db.insert(oauthLoginStates).values(row);
}

/** Takes the sign-in under way out of the table: a state works once, replayed callbacks find nothing. */
export async function takeLoginState(db: DbOrTx, stateHash: string, provider: OAuthProvider): Promise<LoginStateRow | undefined> {
  const [row] = await db
    .delete(oauthLoginStates)
    .where(and(eq(oauthLoginStates.stateHash, stateHash), eq(oauthLoginStates.provider, provider)))
    .returning();
  return row;
}

export async function deleteExpiredLoginStates(db: DbOrTx, now: Date): Promise<number> {
  const rows = await db.delete(oauthLoginStates).where(lt(oauthLoginStates.expiresAt, now)).returning({ h: oauthLoginStates.stateHash });
  return rows.length;
}

export async function findIdentityWithUser(db: DbOrTx, provider: OAuthProvider, subject: string): Promise<{ identity: IdentityRow; user: UserRow } | undefined> {
  const [row] = await db
    .select({ identity: authIdentities, user: users })
    .from(authIdentities)
    .innerJoin(users, eq(users.id, authIdentities.userId))
    .where(and(eq(authIdentities.provider, provider), eq(authIdentities.providerUserId, subject)));
  return row;
}

/** Links unless this provider account or this user's link to the provider exists; then undefined. */
export async function insertIdentityIfFree(db: DbOrTx, row: typeof authIdentities.$inferInsert): Promise<IdentityRow | undefined> {
  const [inserted] = await db.insert(authIdentities).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function touchIdentity(db: DbOrTx, id: string, patch: { email: string | null; emailVerified: boolean; lastLoginAt: Date }): Promise<void> {
  await db.update(authIdentities).set(patch).where(eq(authIdentities.id, id));
}

export async function listIdentities(db: DbOrTx, userId: string): Promise<IdentityRow[]> {
  return db.select().from(authIdentities).where(eq(authIdentities.userId, userId)).orderBy(asc(authIdentities.createdAt), asc(authIdentities.provider));
}

export async function deleteIdentity(db: DbOrTx, userId: string, provider: OAuthProvider): Promise<boolean> {
  const rows = await db
    .delete(authIdentities)
    .where(and(eq(authIdentities.userId, userId), eq(authIdentities.provider, provider)))
    .returning({ id: authIdentities.id });
  return rows.length > 0;
}

/** Locks the user row, so two unlinks at once cannot both leave the account without a way in. */
export async function lockUser(db: DbOrTx, userId: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, userId)).for('update');
  return row;
}

export async function countIdentities(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db.select({ n: sql<string>`count(*)` }).from(authIdentities).where(eq(authIdentities.userId, userId));
  return Number(row?.n ?? 0);
}
