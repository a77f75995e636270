/**
 * What an admin reads about users: the searchable list, the counts of the detail, and the activity
 * feed. Accounts owns the users; payments, generations and assets live in modules above it, so these
 * reads sit here, at the top, where every module's tables may be named.
 */
import { and, count, desc, eq, ilike, or, sql } from 'drizzle-orm';
import { payments } from '../billing/index.ts';
import { generations } from '../generation/index.ts';
import { assets } from '../media/index.ts';
import { sessions, users, type UserRole } from '../accounts/index.ts';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { afterCursor } from '../../platform/db/keyset.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { Cursor } from '../../platform/http/pagination.ts';

export type AdminUserRow = typeof users.$inferSelect;

/** `%…%` with the LIKE wildcards of the search text taken literally. */
const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface UserFilter {
  q?: string;
  role?: UserRole;
  isActive?: boolean;
}

export async function listUsers(db: DbOrTx, f: UserFilter, cursor: Cursor | undefined, limit: number): Promise<AdminUserRow[]> {
  const pattern = f.q ? likePattern(f.q) : undefined;
  return db
    .select()
    .from(users)
    .where(
      and(
        pattern ? or(ilike(users.email, pattern), ilike(users.phone, pattern), ilike(users.fullName, pattern)) : undefined,
        f.role ? eq(users.role, f.role) : undefined,
        f.isActive !== undefined ? eq(users.isActive, f.isActive) : undefined,
        afterCursor(users.createdAt, users.id, cursor),
      ),
    )
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(limit + 1);
}

export async function countUserRecords(db: DbOrTx, userId: string): Promise<{ payments: number; generations: number }> {
  const [[p], [g]] = await Promise.all([
    db.select({ n: count() }).from(payments).where(eq(payments.userId, userId)),
    db.select({ n: count() }).from(generations).where(eq(generations.userId, userId)),
  ]);
  return { payments: p?.n ?? 0, generations: g?.n ?? 0 };
}

/** One row of the activity feed; `text1`/`text2`/`num`/`text3` mean what `kind` says (see users.service.ts). */
export interface ActivityRow {
  kind: 'login' | 'generation' | 'payment' | 'download';
  id: string;
  created_at: Date | string;
  text1: string | null;
  text2: string | null;
  num: number | null;
  text3: string | null;
}

/**
 * Sessions opened (sign-ins), generations, payments and downloaded assets of one user, newest first,
 * one keyset page. Each branch is filtered by the user and the cursor before the union, on indexes
 * that lead with the user.
 */
export async function listUserActivity(db: DbOrTx, userId: string, cursor: Cursor | undefined, limit: number): Promise<ActivityRow[]> {
  const after = (createdAt: PgColumn, id: PgColumn) => afterCursor(createdAt, id, cursor) ?? sql`true`;
  const res = (await db.execute(sql`
    select * from (
      select 'login' as kind, ${sessions.id} as id, ${sessions.createdAt} as created_at,
             ${sessions.ip} as text1, ${sessions.userAgent} as text2, null::integer as num, null::text as text3
        from ${sessions} where ${sessions.userId} = ${userId} and ${after(sessions.createdAt, sessions.id)}
      union all
      select 'generation', ${generations.id}, ${generations.createdAt},
             ${generations.type}, ${generations.status}, ${generations.creditsUsed}, null
        from ${generations} where ${generations.userId} = ${userId} and ${after(generations.createdAt, generations.id)}
      union all
      select 'payment', ${payments.id}, ${payments.createdAt},
             ${payments.provider}, ${payments.status}, ${payments.amountMinor}, ${payments.currency}
        from ${payments} where ${payments.userId} = ${userId} and ${after(payments.createdAt, payments.id)}
      union all
      select 'download', ${assets.id}, ${assets.createdAt},
             ${assets.filename}, null, ${assets.downloadCount}, null
        from ${assets} where ${assets.ownerId} = ${userId} and ${assets.downloadCount} > 0 and ${after(assets.createdAt, assets.id)}
    ) activity
    order by created_at desc, id desc
    limit ${limit + 1}
  `)) as unknown as { rows: ActivityRow[] };
  return res.rows;
}
