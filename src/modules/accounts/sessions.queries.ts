import { and, desc, eq, gt, isNull, lt, ne, or } from 'drizzle-orm';
import { afterCursor } from '../../platform/db/keyset.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { Cursor } from '../../platform/http/pagination.ts';
import { sessions, users } from './accounts.tables.ts';

export type SessionRow = typeof sessions.$inferSelect;

export async function insertSession(db: DbOrTx, row: typeof sessions.$inferInsert): Promise<SessionRow> {
  const [inserted] = await db.insert(sessions).values(row).returning();
  return inserted!;
}

/** Locks the session row: concurrent refreshes of one session take turns. */
export async function findSessionForUpdate(db: DbOrTx, id: string): Promise<SessionRow | undefined> {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, id)).for('update');
  return row;
}

export async function rotateSession(
  db: DbOrTx,
  id: string,
  next: { refreshTokenHash: string; rotationCounter: number; rotatedAt: Date; lastUsedAt: Date; expiresAt: Date; ip?: string; userAgent?: string },
): Promise<void> {
  await db.update(sessions).set(next).where(eq(sessions.id, id));
}

export async function revokeSession(db: DbOrTx, id: string, reason: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

export async function revokeUserSession(db: DbOrTx, userId: string, id: string, reason: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.id, id), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

/** Revokes every live session of a user, except `keep` if given. */
export async function revokeAllSessions(db: DbOrTx, userId: string, reason: string, now: Date, keep?: string): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), keep ? ne(sessions.id, keep) : undefined))
    .returning({ id: sessions.id });
  return rows.length;
}

export async function listLiveSessions(db: DbOrTx, userId: string, now: Date, cursor: Cursor | undefined, limit: number): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        afterCursor(sessions.createdAt, sessions.id, cursor),
      ),
    )
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
    .limit(limit + 1);
}

/** What an access token's session says about its user right now (one indexed join per request). */
export async function findSessionPrincipal(db: DbOrTx, sessionId: string, userId: string) {
  const [row] = await db
    .select({
      role: users.role,
      isActive: users.isActive,
      revokedAt: sessions.revokedAt,
      expiresAt: sessions.expiresAt,
      lastUsedAt: sessions.lastUsedAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)));
  return row;
}

/** Bumps last_used_at if it is over a minute old (the condition also guards concurrent bumps). */
export async function touchSession(db: DbOrTx, id: string, now: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ lastUsedAt: now })
    .where(and(eq(sessions.id, id), lt(sessions.lastUsedAt, new Date(now.getTime() - 60_000))));
}

/** Sessions that ended (expired or revoked) before `before`; kept until then for the user's history. */
export async function deleteSessionsEndedBefore(db: DbOrTx, before: Date): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, before), lt(sessions.revokedAt, before)))
    .returning({ id: sessions.id });
  return rows.length;
}
