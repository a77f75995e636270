/** Users and vendor profiles. */
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { users, vendorProfiles } from './accounts.tables.ts';

export type UserRow = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type VendorProfileRow = typeof vendorProfiles.$inferSelect;

/** Inserts unless the email or phone is taken; then returns undefined (no aborted transaction). */
export async function insertUserIfFree(db: DbOrTx, row: NewUser): Promise<UserRow | undefined> {
  const [inserted] = await db.insert(users).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function findUserById(db: DbOrTx, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function findUserByIdentifier(db: DbOrTx, by: { email?: string; phone?: string }): Promise<UserRow | undefined> {
  const where = by.email ? eq(users.email, by.email) : by.phone ? eq(users.phone, by.phone) : undefined;
  if (!where) return undefined;
  const [row] = await db.select().from(users).where(where);
  return row;
}

export async function updateUser(db: DbOrTx, id: string, patch: Partial<NewUser>): Promise<UserRow | undefined> {
  const [row] = await db.update(users).set(patch).where(eq(users.id, id)).returning();
  return row;
}

/** Sets the webhook secret only if none exists yet, so two first requests agree on one secret. */
export async function setWebhookSecretIfUnset(db: DbOrTx, id: string, secret: string, now: Date): Promise<void> {
  await db
    .update(users)
    .set({ webhookSecret: secret, updatedAt: now })
    .where(and(eq(users.id, id), isNull(users.webhookSecret)));
}

/**
 * Replaces the webhook secret, keeping the one it replaces valid until `until`. Conditional on the
 * secret being the one the caller read, so two racing rotations cannot lose the overlap.
 */
export async function rotateWebhookSecret(db: DbOrTx, id: string, current: string, next: string, until: Date, now: Date): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ webhookSecret: next, previousWebhookSecret: current, previousWebhookSecretUntil: until, updatedAt: now })
    .where(and(eq(users.id, id), eq(users.webhookSecret, current)))
    .returning({ id: users.id });
  return rows.length > 0;
}

export async function insertVendorProfileIfSlugFree(
  db: DbOrTx,
  row: typeof vendorProfiles.$inferInsert,
): Promise<VendorProfileRow | undefined> {
  const [inserted] = await db.insert(vendorProfiles).values(row).onConflictDoNothing({ target: vendorProfiles.slug }).returning();
  return inserted;
}

export async function findVendorProfile(db: DbOrTx, userId: string): Promise<VendorProfileRow | undefined> {
  const [row] = await db.select().from(vendorProfiles).where(eq(vendorProfiles.userId, userId));
  return row;
}

export async function countUsers(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: sql<string>`count(*)` }).from(users);
  return Number(row?.n ?? 0);
}

/** A vendor's public page is found by its slug; disabled accounts have none. */
export async function findVendorBySlug(db: DbOrTx, slug: string): Promise<(VendorProfileRow & { fullName: string | null }) | undefined> {
  const [row] = await db
    .select({ profile: vendorProfiles, fullName: users.fullName })
    .from(vendorProfiles)
    .innerJoin(users, eq(users.id, vendorProfiles.userId))
    .where(and(eq(vendorProfiles.slug, slug), eq(users.isActive, true)));
  return row ? { ...row.profile, fullName: row.fullName } : undefined;
}

export async function isVendor(db: DbOrTx, userId: string): Promise<boolean> {
  const [row] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId));
  return row?.role === 'vendor';
}

/** Whether another vendor's page already has this address. */
export async function slugTakenByOther(db: DbOrTx, slug: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: vendorProfiles.userId })
    .from(vendorProfiles)
    .where(and(eq(vendorProfiles.slug, slug), ne(vendorProfiles.userId, userId)));
  return row !== undefined;
}

export async function updateVendorProfile(
  db: DbOrTx,
  userId: string,
  patch: Partial<Omit<typeof vendorProfiles.$inferInsert, 'userId' | 'isVerified'>>,
): Promise<VendorProfileRow | undefined> {
  const [row] = await db.update(vendorProfiles).set(patch).where(eq(vendorProfiles.userId, userId)).returning();
  return row;
}

/** The one write of `is_verified` (admins only, through the admin users service). */
export async function setVendorVerified(db: DbOrTx, userId: string, isVerified: boolean, at: Date): Promise<VendorProfileRow | undefined> {
  const [row] = await db.update(vendorProfiles).set({ isVerified, updatedAt: at }).where(eq(vendorProfiles.userId, userId)).returning();
  return row;
}

/** Locks a vendor profile for a read-then-write in the caller's transaction. */
export async function lockVendorProfile(db: DbOrTx, userId: string): Promise<VendorProfileRow | undefined> {
  const [row] = await db.select().from(vendorProfiles).where(eq(vendorProfiles.userId, userId)).for('update');
  return row;
}

/** Whether the asset is someone's avatar (media's retention asks, decision 110). */
export async function isAvatarAsset(db: DbOrTx, assetId: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.avatarAssetId, assetId)).limit(1);
  return row !== undefined;
}
