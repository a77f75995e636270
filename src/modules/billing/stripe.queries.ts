import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { payments, subscriptions } from './payments.tables.ts';
import type { PaymentRow, SubscriptionRow } from './payments.queries.ts';

/** The local subscription a Stripe subscription drives, locked for this transaction. */
export async function findStripeSubscriptionForUpdate(db: DbOrTx, providerSubscriptionId: string): Promise<SubscriptionRow | undefined> {
  const [row] = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.provider, 'stripe'), eq(subscriptions.providerSubscriptionId, providerSubscriptionId)))
    .for('update');
  return row;
}

/**
 * The payment of one renewal invoice, created once: keyed by the invoice id as its provider
 * payment id, so a second delivery (or a concurrent one, which waits on the unique index) finds
 * the same row.
 */
export async function ensureInvoicePayment(db: DbOrTx, row: typeof payments.$inferInsert & { providerPaymentId: string }): Promise<PaymentRow> {
  await db.insert(payments).values(row).onConflictDoNothing({ target: [payments.provider, payments.providerPaymentId] });
  const [found] = await db.select().from(payments).where(and(eq(payments.provider, 'stripe'), eq(payments.providerPaymentId, row.providerPaymentId)));
  return found!;
}
