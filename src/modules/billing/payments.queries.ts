import { and, asc, desc, eq, inArray, lte, ne, or, sql } from 'drizzle-orm';
import { afterCursor } from '../../platform/db/keyset.ts';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { Cursor } from '../../platform/http/pagination.ts';
import { payments, subscriptionHistory, subscriptions, type PaymentProvider, type PaymentStatus } from './payments.tables.ts';

export type PaymentRow = typeof payments.$inferSelect;
export type SubscriptionRow = typeof subscriptions.$inferSelect;

export async function insertPayment(db: DbOrTx, row: typeof payments.$inferInsert): Promise<PaymentRow> {
  const [inserted] = await db.insert(payments).values(row).returning();
  return inserted!;
}

export async function findPayment(db: DbOrTx, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.id, id));
  return row;
}

export async function findPaymentByProviderId(db: DbOrTx, provider: PaymentProvider, providerPaymentId: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(and(eq(payments.provider, provider), eq(payments.providerPaymentId, providerPaymentId)));
  return row;
}

export async function updatePayment(db: DbOrTx, id: string, patch: Partial<typeof payments.$inferInsert>): Promise<PaymentRow | undefined> {
  const [row] = await db.update(payments).set(patch).where(eq(payments.id, id)).returning();
  return row;
}

/** A payment whose money went back: pending or completed becomes refunded (completed ones granted nothing). */
export async function markRefunded(db: DbOrTx, id: string, now: Date): Promise<PaymentRow | undefined> {
  const [row] = await db
    .update(payments)
    .set({ status: 'refunded', refundedMinor: sql`case when ${payments.completedAt} is null then 0 else ${payments.amountMinor} end`, updatedAt: now })
    .where(and(eq(payments.id, id), inArray(payments.status, ['pending', 'completed']), eq(payments.refundedMinor, 0)))
    .returning();
  return row;
}

/** Deletes a payment that is still pending (one whose checkout was refused before it reached the provider). */
export async function deletePendingPayment(db: DbOrTx, id: string): Promise<void> {
  await db.delete(payments).where(and(eq(payments.id, id), eq(payments.status, 'pending')));
}

/** Moves a payment out of `pending` once; the loser of a race (or a late event) gets undefined. */
export async function settlePending(
  db: DbOrTx,
  id: string,
  next: { status: Exclude<PaymentStatus, 'pending'>; now: Date; providerReference?: string; gatewayCardPan?: string; failureReason?: string },
): Promise<PaymentRow | undefined> {
  const [row] = await db
    .update(payments)
    .set({
      status: next.status,
      providerReference: next.providerReference,
      gatewayCardPan: next.gatewayCardPan,
      failureReason: next.failureReason,
      completedAt: next.status === 'completed' ? next.now : undefined,
      updatedAt: next.now,
    })
    .where(and(eq(payments.id, id), eq(payments.status, 'pending')))
    .returning();
  return row;
}

export async function listUserPayments(db: DbOrTx, userId: string, cursor: Cursor | undefined, limit: number): Promise<PaymentRow[]> {
  return db
    .select()
    .from(payments)
    .where(and(eq(payments.userId, userId), afterCursor(payments.createdAt, payments.id, cursor)))
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(limit + 1);
}

export async function findSubscriptionForUpdate(db: DbOrTx, userId: string): Promise<SubscriptionRow | undefined> {
  const [row] = await db.select().from(subscriptions).where(eq(subscriptions.userId, userId)).for('update');
  return row;
}

export async function findSubscription(db: DbOrTx, userId: string): Promise<SubscriptionRow | undefined> {
  const [row] = await db.select().from(subscriptions).where(eq(subscriptions.userId, userId));
  return row;
}

export async function insertSubscription(db: DbOrTx, row: typeof subscriptions.$inferInsert): Promise<SubscriptionRow> {
  const [inserted] = await db.insert(subscriptions).values(row).returning();
  return inserted!;
}

export async function updateSubscription(db: DbOrTx, id: string, patch: Partial<typeof subscriptions.$inferInsert>): Promise<SubscriptionRow> {
  const [row] = await db.update(subscriptions).set(patch).where(eq(subscriptions.id, id)).returning();
  return row!;
}

/** Marks an active subscription to end with its period; undefined if there is none or it already is. */
export async function requestCancel(db: DbOrTx, userId: string, now: Date): Promise<SubscriptionRow | undefined> {
  const [row] = await db
    .update(subscriptions)
    .set({ cancelAtPeriodEnd: true, updatedAt: now })
    .where(and(eq(subscriptions.userId, userId), eq(subscriptions.status, 'active'), eq(subscriptions.cancelAtPeriodEnd, false)))
    .returning();
  return row;
}

export async function insertHistory(db: DbOrTx, row: typeof subscriptionHistory.$inferInsert): Promise<void> {
  await db.insert(subscriptionHistory).values(row);
}

/** Pending payments started before `before` (Stripe ones before `stripeBefore`), oldest first. */
export async function findStalePendingPayments(db: DbOrTx, before: Date, limit: number, stripeBefore: Date): Promise<string[]> {
  const rows = await db
    .select({ id: payments.id })
    .from(payments)
    .where(
      and(
        eq(payments.status, 'pending'),
        or(and(ne(payments.provider, 'stripe'), lte(payments.createdAt, before)), and(eq(payments.provider, 'stripe'), lte(payments.createdAt, stripeBefore))),
      ),
    )
    .orderBy(asc(payments.createdAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Subscriptions whose period is over and that nothing will renew: `zarinpal` and `manual` ones (a
 * payment covers one period), and any asked to cancel at the period's end. Stripe renews its own.
 */
const subscriptionDue = (now: Date) =>
  and(
    eq(subscriptions.status, 'active'),
    lte(subscriptions.currentPeriodEnd, now),
    or(inArray(subscriptions.provider, ['zarinpal', 'manual']), eq(subscriptions.cancelAtPeriodEnd, true)),
  );

/**
 * Ends up to `limit` due subscriptions in one statement: `cancelled` if cancellation was asked,
 * else `expired`. Rows locked by a renewal in progress are skipped (the next run sees them again),
 * and the condition is checked again on the rows updated, so a renewal that just moved the period
 * on is never undone.
 */
export async function endDueSubscriptions(db: DbOrTx, now: Date, limit: number): Promise<SubscriptionRow[]> {
  const due = db.select({ id: subscriptions.id }).from(subscriptions).where(subscriptionDue(now)).limit(limit).for('update', { skipLocked: true });
  return db
    .update(subscriptions)
    .set({ status: sql`case when ${subscriptions.cancelAtPeriodEnd} then 'cancelled' else 'expired' end`, updatedAt: now })
    .where(and(inArray(subscriptions.id, due), subscriptionDue(now)))
    .returning();
}
