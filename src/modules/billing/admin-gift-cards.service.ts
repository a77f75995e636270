/**
 * Gift cards as admins see them: every card (bought or promotional), issuing promotional cards,
 * switching an unredeemed card off and on, moving its expiry, deleting it. A redeemed card is
 * history (its credits are in a ledger) and cannot change. Every write leaves an audit row in its
 * own transaction; a new card's code is shown once and, when a recipient is named, emailed by a
 * job enqueued in that transaction (gift-card-delivery.ts).
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/types.ts';
import type { Principal } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/errors.ts';
import { decodeCursor, toPage } from '../../platform/http/pagination.ts';
import { createAdminWrite } from '../../platform/audit/admin-write.ts';
import { giftCards } from './promotions.tables.ts';
import * as gq from './admin-gift-cards.queries.ts';
import type { TAdminGiftCard, TCreateGiftCardBody, TGiftCardListQuery, TIssuedGiftCard, TPatchGiftCardBody } from './admin-gift-cards.dto.ts';
import type { AdminMeta } from './admin-billing.service.ts';
import { GIFT_CODE_LENGTH, hashGiftCode, insertWithFreshCode, normaliseGiftCode } from './gift-code.ts';
import type { GiftCardDelivery } from './gift-card-delivery.ts';
import type * as pq from './promotions.queries.ts';

export function giftCardView(c: pq.GiftCardRow, now: Date): TAdminGiftCard {
  const pastExpiry = c.status !== 'redeemed' && c.expiresAt !== null && c.expiresAt <= now;
  return {
    id: c.id,
    code_last4: c.codeLast4,
    status: pastExpiry ? 'expired' : c.status,
    credits: c.credits,
    source: c.paymentId ? 'purchase' : 'promotional',
    buyer_user_id: c.buyerUserId,
    recipient_email: c.recipientEmail,
    package_id: c.packageId,
    payment_id: c.paymentId,
    redeemed_by_user_id: c.redeemedByUserId,
    redeemed_at: c.redeemedAt?.toISOString() ?? null,
    expires_at: c.expiresAt?.toISOString() ?? null,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}

/** `q` is an email, a whole code (found by its hash), or the last characters printed on a card. */
function searchOf(q: string): gq.GiftCardSearch {
  if (q.includes('@')) return { recipientEmail: q.toLowerCase() };
  const code = normaliseGiftCode(q);
  if (!/^[A-Z0-9]+$/.test(code)) throw errors.validation([{ path: 'query.q', message: 'an email, a gift card code or its last characters' }]);
  if (code.length === GIFT_CODE_LENGTH) return { codeHash: hashGiftCode(code) };
  return { last4Suffix: code.slice(-4) };
}

export function createAdminGiftCardsService(deps: { db: Db; clock: Clock; giftCards: Pick<GiftCardDelivery, 'enqueue'> }) {
  const write = createAdminWrite(deps);
  const target = (id?: string) => ({ type: 'gift_card', table: giftCards, id });

  function assertFuture(at: Date | null | undefined) {
    if (at && at <= deps.clock.now()) throw errors.validation([{ path: 'expires_at', message: 'must be in the future' }]);
  }

  async function list(query: TGiftCardListQuery) {
    const now = deps.clock.now();
    const rows = await gq.listGiftCards(deps.db, { status: query.status, search: query.q ? searchOf(query.q) : undefined, now }, decodeCursor(query.cursor), query.limit);
    const page = toPage(rows, query.limit, (r) => r);
    return { data: page.data.map((r) => giftCardView(r, now)), next_cursor: page.next_cursor };
  }

  async function get(id: string): Promise<TAdminGiftCard> {
    const card = await gq.findGiftCard(deps.db, id);
    if (!card) throw errors.notFound('Gift card');
    return giftCardView(card, deps.clock.now());
  }

  async function issue(admin: Principal, body: TCreateGiftCardBody, meta: AdminMeta): Promise<TIssuedGiftCard> {
    assertFuture(body.expires_at);
    const now = deps.clock.now();
    const issued = await write(admin, meta, 'billing.gift_card.issue', target(), { credits: body.credits, recipient_email: body.recipient_email, expires_at: body.expires_at?.toISOString() ?? null }, async (tx) => {
      const { card, code } = await insertWithFreshCode(tx, {
        status: 'active',
        credits: body.credits,
        recipientEmail: body.recipient_email,
        expiresAt: body.expires_at,
        createdAt: now,
        updatedAt: now,
      });
      if (card.recipientEmail) await deps.giftCards.enqueue(tx, { cardId: card.id, code });
      return { id: card.id, view: { card, code } };
    });
    return { ...giftCardView(issued.card, now), code: issued.code };
  }

  /** Why a change to a card that is not there (any more) or was redeemed was refused. */
  async function refusal(tx: Tx, id: string, doing: string) {
    if (!(await gq.findGiftCard(tx, id))) return errors.notFound('Gift card');
    return errors.conflict(`A redeemed gift card cannot be ${doing}.`);
  }

  async function patch(admin: Principal, id: string, body: TPatchGiftCardBody, meta: AdminMeta): Promise<TAdminGiftCard> {
    assertFuture(body.expires_at);
    const now = deps.clock.now();
    const request = {
      ...(body.is_active !== undefined ? { is_active: body.is_active } : {}),
      ...(body.expires_at !== undefined ? { expires_at: body.expires_at?.toISOString() ?? null } : {}),
    };
    return write(admin, meta, 'billing.gift_card.update', target(id), request, async (tx) => {
      const row = await gq.updateUnredeemedGiftCard(tx, id, {
        ...(body.is_active !== undefined ? { status: body.is_active ? ('active' as const) : ('disabled' as const) } : {}),
        ...(body.expires_at !== undefined ? { expiresAt: body.expires_at } : {}),
        updatedAt: now,
      });
      if (!row) throw await refusal(tx, id, 'changed');
      return { id, view: giftCardView(row, now) };
    });
  }

  async function remove(admin: Principal, id: string, meta: AdminMeta): Promise<void> {
    await write(admin, meta, 'billing.gift_card.delete', target(id), {}, async (tx) => {
      const row = await gq.deleteUnredeemedGiftCard(tx, id);
      if (!row) throw await refusal(tx, id, 'deleted');
      return { id, view: undefined };
    });
  }

  return { list, get, issue, patch, remove };
}

export type AdminGiftCardsService = ReturnType<typeof createAdminGiftCardsService>;
