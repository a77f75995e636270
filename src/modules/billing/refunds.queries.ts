import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { creditLots, creditTransactions } from './credits.tables.ts';
import { payments, subscriptions } from './payments.tables.ts';
import type { PaymentRow } from './payments.queries.ts';
import { refunds } from './refunds.tables.ts';

export type RefundRow = typeof refunds.$inferSelect;

export async function findPaymentForUpdate(db: DbOrTx, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.id, id)).for('update');
  return row;
}

export async function findPaymentByReference(db: DbOrTx, reference: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(and(eq(payments.provider, 'stripe'), eq(payments.providerReference, reference)));
  return row;
}

export async function pendingRefundOf(db: DbOrTx, paymentId: string): Promise<RefundRow | undefined> {
  const [row] = await db.select().from(refunds).where(and(eq(refunds.paymentId, paymentId), eq(refunds.status, 'pending')));
  return row;
}

export async function findRefund(db: DbOrTx, id: string): Promise<RefundRow | undefined> {
  const [row] = await db.select().from(refunds).where(eq(refunds.id, id));
  return row;
}

export async function findRefundByProviderId(db: DbOrTx, provider: RefundRow['provider'], providerRefundId: string): Promise<RefundRow | undefined> {
  const [row] = await db.select().from(refunds).where(and(eq(refunds.provider, provider), eq(refunds.providerRefundId, providerRefundId)));
  return row;
}

export async function insertRefund(db: DbOrTx, row: typeof refunds.$inferInsert): Promise<RefundRow> {
  const [inserted] = await db.insert(refunds).values(row).returning();
  return inserted!;
}

export async function deletePendingRefund(db: DbOrTx, id: string): Promise<void> {
  await db.delete(refunds).where(and(eq(refunds.id, id), eq(refunds.status, 'pending')));
}

/** Settles a pending refund once: the loser of a race (the admin's request and Stripe's webhook) gets undefined. */
export async function settleRefund(
  db: DbOrTx,
  id: string,
  done: { providerRefundId?: string | null; now: Date },
): Promise<RefundRow | undefined> {
  const [row] = await db
    .update(refunds)
    .set({
      status: 'succeeded',
      ...(done.providerRefundId ? { providerRefundId: done.providerRefundId } : {}),
      refundedAt: done.now,
      updatedAt: done.now,
    })
    .where(and(eq(refunds.id, id), eq(refunds.status, 'pending')))
    .returning();
  return row;
}

export async function setRefundCredits(db: DbOrTx, id: string, recovered: number, unrecovered: number): Promise<RefundRow> {
  const [row] = await db.update(refunds).set({ creditsRecovered: recovered, creditsUnrecovered: unrecovered }).where(eq(refunds.id, id)).returning();
  return row!;
}

export async function succeededRefundsOf(db: DbOrTx, paymentId: string): Promise<RefundRow[]> {
  return db.select().from(refunds).where(and(eq(refunds.paymentId, paymentId), eq(refunds.status, 'succeeded'))).orderBy(refunds.createdAt);
}

/**
 * Adds a refund to its completed payment if it fits: `refunded_minor` grows, and the payment
 * becomes `refunded` when it reaches the amount. Undefined when the payment is not completed or
 * the refund would exceed what is left.
 */
export async function addRefundedAmount(db: DbOrTx, paymentId: string, amount: number, now: Date): Promise<PaymentRow | undefined> {
  const [row] = await db
    .update(payments)
    .set({
      refundedMinor: sql`${payments.refundedMinor} + ${amount}`,
      status: sql`case when ${payments.refundedMinor} + ${amount} = ${payments.amountMinor} then 'refunded' else ${payments.status} end`,
      updatedAt: now,
    })
    .where(and(eq(payments.id, paymentId), eq(payments.status, 'completed'), sql`${payments.refundedMinor} + ${amount} <= ${payments.amountMinor}`))
    .returning();
  return row;
}

/** The lot a payment's grant made (ledger key `payment:<id>`), locked; undefined when it granted none. */
export async function lotOfPaymentForUpdate(db: DbOrTx, paymentId: string) {
  const [row] = await db
    .select({ id: creditLots.id, userId: creditLots.userId, remaining: creditLots.remaining })
    .from(creditLots)
    .innerJoin(creditTransactions, eq(creditTransactions.id, creditLots.transactionId))
    .where(eq(creditTransactions.idempotencyKey, `payment:${paymentId}`))
    .for('update', { of: creditLots });
  return row;
}

/** Takes `n` from one lot only if it has them. */
export async function takeFromLot(db: DbOrTx, lotId: string, n: number): Promise<boolean> {
  const rows = await db
    .update(creditLots)
    .set({ remaining: sql`${creditLots.remaining} - ${n}` })
    .where(and(eq(creditLots.id, lotId), sql`${creditLots.remaining} >= ${n}`))
    .returning({ id: creditLots.id });
  return rows.length === 1;
}

/** Ends the subscription a payment started or renewed, if it is still that payment's and active. */
export async function endSubscriptionOfPayment(db: DbOrTx, paymentId: string, now: Date) {
  const [row] = await db
    .update(subscriptions)
    .set({ status: 'cancelled', currentPeriodEnd: now, cancelAtPeriodEnd: false, updatedAt: now })
    .where(and(eq(subscriptions.lastPaymentId, paymentId), eq(subscriptions.status, 'active')))
    .returning();
  return row;
}
