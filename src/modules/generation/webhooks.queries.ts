import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { webhookDeliveries } from './generation.tables.ts';

export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

export async function insertDelivery(db: DbOrTx, row: typeof webhookDeliveries.$inferInsert): Promise<void> {
  await db.insert(webhookDeliveries).values(row);
}

export const deliveriesOf = (db: DbOrTx, generationId: string): Promise<WebhookDeliveryRow[]> =>
  db.select().from(webhookDeliveries).where(eq(webhookDeliveries.generationId, generationId)).orderBy(asc(webhookDeliveries.createdAt));
