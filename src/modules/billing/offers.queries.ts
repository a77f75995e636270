import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { creditPackages, plans, type PlanAudience } from './offers.tables.ts';

export type CreditPackageRow = typeof creditPackages.$inferSelect;
export type PlanRow = typeof plans.$inferSelect;

export async function listActivePackages(db: DbOrTx): Promise<CreditPackageRow[]> {
  return db.select().from(creditPackages).where(eq(creditPackages.isActive, true)).orderBy(asc(creditPackages.sortOrder), asc(creditPackages.name));
}

export async function listActivePlans(db: DbOrTx, audience: PlanAudience | undefined): Promise<PlanRow[]> {
  return db
    .select()
    .from(plans)
    .where(and(eq(plans.isActive, true), audience ? eq(plans.audience, audience) : undefined))
    .orderBy(asc(plans.audience), asc(plans.sortOrder), asc(plans.name));
}

export async function findPackage(db: DbOrTx, id: string): Promise<CreditPackageRow | undefined> {
  const [row] = await db.select().from(creditPackages).where(eq(creditPackages.id, id));
  return row;
}

export async function findPlan(db: DbOrTx, id: string): Promise<PlanRow | undefined> {
  const [row] = await db.select().from(plans).where(eq(plans.id, id));
  return row;
}

export async function listAllPackages(db: DbOrTx): Promise<CreditPackageRow[]> {
  return db.select().from(creditPackages).orderBy(asc(creditPackages.sortOrder), asc(creditPackages.name));
}

export async function listAllPlans(db: DbOrTx): Promise<PlanRow[]> {
  return db.select().from(plans).orderBy(asc(plans.audience), asc(plans.sortOrder), asc(plans.name));
}

export async function insertPackageIfFree(db: DbOrTx, row: typeof creditPackages.$inferInsert): Promise<CreditPackageRow | undefined> {
  const [inserted] = await db.insert(creditPackages).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function updatePackage(db: DbOrTx, id: string, patch: Partial<typeof creditPackages.$inferInsert>): Promise<CreditPackageRow | undefined> {
  const [row] = await db.update(creditPackages).set(patch).where(eq(creditPackages.id, id)).returning();
  return row;
}

export async function insertPlanIfFree(db: DbOrTx, row: typeof plans.$inferInsert): Promise<PlanRow | undefined> {
  const [inserted] = await db.insert(plans).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function updatePlan(db: DbOrTx, id: string, patch: Partial<typeof plans.$inferInsert>): Promise<PlanRow | undefined> {
  const [row] = await db.update(plans).set(patch).where(eq(plans.id, id)).returning();
  return row;
}

/** A plan by its stable key (`free`, `vendor_free`, …), active or not. */
export async function findPlanByName(db: DbOrTx, name: string): Promise<PlanRow | undefined> {
  const [row] = await db.select().from(plans).where(eq(plans.name, name));
  return row;
}
