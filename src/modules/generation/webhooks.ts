/**
 * Outgoing webhooks, Standard Webhooks style. Each event is a queue job sent in the transaction of
 * the status change, with its body fixed then, so every retry sends the same `webhook-id` and body;
 * each attempt is signed afresh (`webhook-timestamp` is the attempt's time) with the user's secret,
 * recorded in `webhook_deliveries`, and a non-2xx answer or a network error retries with backoff.
 * A URL that leads to a private, local or reserved address is refused before connecting and not
 * retried (src/platform/http/outbound-url.ts; decision 022).
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { lookup } from 'node:dns';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { Db, DbOrTx } from '../../platform/db/types.ts';
import { NonPublicAddressError, postOutbound, type OutboundPolicy } from '../../platform/http/outbound-url.ts';
import type { JobDefinition, JobHandler, Queue } from '../../platform/queue/queue.ts';
import { webhookSecretsOf } from '../accounts/index.ts';
import type { TGeneration } from './generation.dto.ts';
import type { GenerationRow } from './generation.queries.ts';
import type { WebhookEventType } from './generation.tables.ts';
import { insertDelivery } from './webhooks.queries.ts';

const ATTEMPT_TIMEOUT_MS = 10_000;

export const webhookJob = {
  name: 'generation.webhook',
  schema: z.object({
    message_id: z.string(),
    user_id: z.uuid(),
    generation_id: z.uuid(),
    event: z.string(),
    url: z.string(),
    body: z.string(),
  }),
  // ~1 s, 2 s, 4 s … up to 10 min between attempts; 8 retries span about 20 minutes.
  options: { retryLimit: 8, retryDelay: 1, retryBackoff: true, retryDelayMax: 600, expireInSeconds: 60 },
  batchSize: 4,
} satisfies JobDefinition;

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`; the key is the base64 after `whsec_`. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * The `webhook-signature` header: one `v1,` signature per secret in force, space-separated as
 * Standard Webhooks allows; receivers accept the delivery if any one verifies (decision 102).
 */
export const signatureHeader = (secrets: string[], id: string, timestamp: number, body: string): string =>
  secrets.map((secret) => signWebhook(secret, id, timestamp, body)).join(' ');

/** Enqueues the event when the generation asked for webhooks and for this event (all when none listed). */
export async function enqueueWebhook(tx: DbOrTx, queue: Queue, row: GenerationRow, event: WebhookEventType, data: TGeneration, now: Date): Promise<void> {
  if (!row.webhookUrl) return;
  if (row.webhookEvents.length > 0 && !row.webhookEvents.includes(event)) return;
  const body = JSON.stringify({ type: event, timestamp: now.toISOString(), data });
  await queue.send(
    webhookJob,
    { message_id: `msg_${randomUUID().replaceAll('-', '')}`, user_id: row.userId, generation_id: row.id, event, url: row.webhookUrl, body },
    { tx },
  );
}

export interface WebhookDeps {
  db: Db;
  clock: Clock;
  policy: OutboundPolicy;
  /** Name resolution for deliveries (tests map names to addresses); dns.lookup by default. */
  resolve?: typeof lookup;
}

export function webhookHandler(deps: WebhookDeps): JobHandler<typeof webhookJob.schema> {
  return {
    definition: webhookJob,
    async handle(job, ctx) {
      const secrets = await webhookSecretsOf(deps.db, job.user_id, deps.clock.now());
      if (secrets.length === 0) return; // the user is gone
      const timestamp = Math.floor(deps.clock.now().getTime() / 1000);
      const started = performance.now();
      let httpStatus: number | undefined;
      let error: string | undefined;
      let final = false;
      let refusedAddress: string | undefined;
      try {
        httpStatus = await postOutbound(
          job.url,
          {
            headers: {
              'content-type': 'application/json',
              'user-agent': 'Atelier-Webhooks/1',
              'webhook-id': job.message_id,
              'webhook-timestamp': String(timestamp),
              'webhook-signature': signatureHeader(secrets, job.message_id, timestamp, job.body),
            },
            body: job.body,
            signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
          },
          deps.policy,
          deps.resolve,
        );
        if (httpStatus < 200 || httpStatus > 299) error = `answered ${httpStatus}`;
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
        // Retrying cannot make a refused address acceptable.
        final = err instanceof NonPublicAddressError;
        if (err instanceof NonPublicAddressError) refusedAddress = err.address;
      }
      await insertDelivery(deps.db, {
        messageId: job.message_id,
        userId: job.user_id,
        generationId: job.generation_id,
        eventType: job.event,
        url: job.url,
        attempt: ctx.retryCount + 1,
        status: error ? 'failed' : 'delivered',
        httpStatus,
        error,
        durationMs: Math.round(performance.now() - started),
        createdAt: deps.clock.now(),
      });
      if (error && final) ctx.log.warn({ messageId: job.message_id, address: refusedAddress }, `webhook refused: ${error}`);
      else if (error) throw new Error(`webhook ${job.message_id} to ${new URL(job.url).host}: ${error}`);
    },
  };
}
