import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import type { PaymentProvider } from './payments.tables.ts';
import { webhookEvents, type WebhookEventStatus } from './webhook-events.tables.ts';

export type WebhookEventRow = typeof webhookEvents.$inferSelect;

export interface WebhookEventRecord {
  provider: PaymentProvider;
  eventId: string;
  type: string;
  summary: Record<string, unknown>;
  note?: string | null;
  now: Date;
}

export async function findWebhookEvent(db: DbOrTx, provider: PaymentProvider, eventId: string): Promise<WebhookEventRow | undefined> {
  const [row] = await db.select().from(webhookEvents).where(and(eq(webhookEvents.provider, provider), eq(webhookEvents.eventId, eventId)));
  return row;
}

/**
 * Claims an event for this delivery: inserts it, or takes over a row an earlier delivery left
 * `failed`. Undefined when another delivery already processed or ignored it (a concurrent one
 * waits here on the unique index until that one commits or rolls back).
 */
export async function claimWebhookEvent(db: DbOrTx, event: WebhookEventRecord & { status: Exclude<WebhookEventStatus, 'failed'> }): Promise<WebhookEventRow | undefined> {
  const [row] = await db
    .insert(webhookEvents)
    .values({ provider: event.provider, eventId: event.eventId, type: event.type, status: event.status, summary: event.summary, note: event.note ?? null, receivedAt: event.now, processedAt: event.now, createdAt: event.now, updatedAt: event.now })
    .onConflictDoUpdate({
      target: [webhookEvents.provider, webhookEvents.eventId],
      set: { status: event.status, note: event.note ?? null, processedAt: event.now, updatedAt: event.now },
      setWhere: sql`${webhookEvents.status} = 'failed'`,
    })
    .returning();
  return row;
}

/** Changes the outcome of the event claimed in this transaction (an event found to concern nothing of ours). */
export async function setWebhookEventOutcome(db: DbOrTx, id: string, status: Exclude<WebhookEventStatus, 'failed'>, note: string | null): Promise<void> {
  await db.update(webhookEvents).set({ status, note }).where(eq(webhookEvents.id, id));
}

/** Records a failed attempt after its transaction rolled back; never overwrites a processed or ignored row. */
export async function recordWebhookFailure(db: DbOrTx, event: WebhookEventRecord): Promise<void> {
  await db
    .insert(webhookEvents)
    .values({ provider: event.provider, eventId: event.eventId, type: event.type, status: 'failed', summary: event.summary, note: event.note ?? null, receivedAt: event.now, createdAt: event.now, updatedAt: event.now })
    .onConflictDoUpdate({
      target: [webhookEvents.provider, webhookEvents.eventId],
      set: { note: event.note ?? null, updatedAt: event.now },
      setWhere: sql`${webhookEvents.status} = 'failed'`,
    });
}
