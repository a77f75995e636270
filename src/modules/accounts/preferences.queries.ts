/** user_preferences: one row per user, created by the first change. */
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { userPreferences } from './accounts.tables.ts';

export type PreferencesRow = typeof userPreferences.$inferSelect;
export type PreferencesPatch = Partial<
  Pick<PreferencesRow, 'marketingEmails' | 'defaultStudio' | 'notifyGenerationCompleted' | 'notifyLowBalance' | 'marketingOptedOutAt'>
>;

export async function findPreferences(db: DbOrTx, userId: string): Promise<PreferencesRow | undefined> {
  const [row] = await db.select().from(userPreferences).where(eq(userPreferences.userId, userId));
  return row;
}

/**
 * Writes only the fields given, creating the row when there is none: one statement, so two
 * concurrent changes of different fields both land and neither aborts a transaction.
 */
export async function upsertPreferences(db: DbOrTx, userId: string, patch: PreferencesPatch, now: Date): Promise<PreferencesRow> {
  const [row] = await db
    .insert(userPreferences)
    .values({ userId, ...patch, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: userPreferences.userId, set: { ...patch, updatedAt: now } })
    .returning();
  return row!;
}

/**
 * Turns marketing mail off (an unsubscribe link). Returns whether it was on, so a second click
 * changes nothing and the opt-out time stays the first one.
 */
export async function optOutOfMarketing(db: DbOrTx, userId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(userPreferences)
    .set({ marketingEmails: false, marketingOptedOutAt: now, updatedAt: now })
    .where(sql`${userPreferences.userId} = ${userId} and ${userPreferences.marketingEmails}`)
    .returning({ userId: userPreferences.userId });
  return rows.length > 0;
}
