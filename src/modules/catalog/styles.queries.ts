import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { styles, type StyleKind } from './catalog.tables.ts';

export type StyleRow = typeof styles.$inferSelect;
export type NewStyle = typeof styles.$inferInsert;

export const listStyles = (db: DbOrTx, f: { studio?: string; kind?: StyleKind; includeInactive?: boolean }) =>
  db
    .select()
    .from(styles)
    .where(
      and(
        f.includeInactive ? undefined : eq(styles.isActive, true),
        f.studio ? eq(styles.studio, f.studio) : undefined,
        f.kind ? eq(styles.kind, f.kind) : undefined,
      ),
    )
    .orderBy(asc(styles.studio), asc(styles.kind), asc(styles.sortOrder), asc(styles.key));

export async function findStyleByKey(db: DbOrTx, key: string): Promise<StyleRow | undefined> {
  const [row] = await db.select().from(styles).where(and(eq(styles.key, key), eq(styles.isActive, true)));
  return row;
}

export async function insertStyle(db: DbOrTx, row: NewStyle): Promise<StyleRow | undefined> {
  const [created] = await db.insert(styles).values(row).onConflictDoNothing().returning();
  return created;
}

export async function updateStyle(db: DbOrTx, id: string, patch: Partial<NewStyle>): Promise<StyleRow | undefined> {
  const [row] = await db.update(styles).set(patch).where(eq(styles.id, id)).returning();
  return row;
}

export async function deleteStyle(db: DbOrTx, id: string): Promise<boolean> {
  return (await db.delete(styles).where(eq(styles.id, id)).returning({ id: styles.id })).length > 0;
}
