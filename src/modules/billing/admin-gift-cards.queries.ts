import { and, desc, eq, gt, isNull, like, lte, ne, or, type SQL } from 'drizzle-orm';
import { afterCursor } from '../../platform/db/keyset.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { Cursor } from '../../platform/http/pagination.ts';
import { giftCards, type GiftCardStatus } from './promotions.tables.ts';
import type { GiftCardRow } from './promotions.queries.ts';

export type GiftCardSearch = { codeHash: string } | { last4Suffix: string } | { recipientEmail: string };

const pastExpiry = (now: Date) => lte(giftCards.expiresAt, now);
const notPastExpiry = (now: Date) => or(isNull(giftCards.expiresAt), gt(giftCards.expiresAt, now));

/** Status as shown: an unredeemed card past its expiry is `expired`, whatever it is stored as. */
function statusIs(status: GiftCardStatus, now: Date): SQL | undefined {
  if (status === 'redeemed') return eq(giftCards.status, 'redeemed');
  if (status === 'expired') return or(eq(giftCards.status, 'expired'), and(ne(giftCards.status, 'redeemed'), pastExpiry(now)));
  return and(eq(giftCards.status, status), notPastExpiry(now));
}

function matches(search: GiftCardSearch): SQL {
  if ('codeHash' in search) return eq(giftCards.codeHash, search.codeHash);
  if ('recipientEmail' in search) return eq(giftCards.recipientEmail, search.recipientEmail);
  return like(giftCards.codeLast4, `%${search.last4Suffix}`);
}

export async function listGiftCards(
  db: DbOrTx,
  filter: { status?: GiftCardStatus; search?: GiftCardSearch; now: Date },
  cursor: Cursor | undefined,
  limit: number,
): Promise<GiftCardRow[]> {
  return db
    .select()
    .from(giftCards)
    .where(
      and(
        filter.status ? statusIs(filter.status, filter.now) : undefined,
        filter.search ? matches(filter.search) : undefined,
        afterCursor(giftCards.createdAt, giftCards.id, cursor),
      ),
    )
    .orderBy(desc(giftCards.createdAt), desc(giftCards.id))
    .limit(limit + 1);
}

export async function findGiftCard(db: DbOrTx, id: string): Promise<GiftCardRow | undefined> {
  const [row] = await db.select().from(giftCards).where(eq(giftCards.id, id));
  return row;
}

/** Changes a card only while it is unredeemed (a redeem racing this sees the result, or wins first). */
export async function updateUnredeemedGiftCard(db: DbOrTx, id: string, patch: Partial<typeof giftCards.$inferInsert>): Promise<GiftCardRow | undefined> {
  const [row] = await db
    .update(giftCards)
    .set(patch)
    .where(and(eq(giftCards.id, id), ne(giftCards.status, 'redeemed')))
    .returning();
  return row;
}

export async function deleteUnredeemedGiftCard(db: DbOrTx, id: string): Promise<GiftCardRow | undefined> {
  const [row] = await db
    .delete(giftCards)
    .where(and(eq(giftCards.id, id), ne(giftCards.status, 'redeemed')))
    .returning();
  return row;
}
