/**
 * Receives Stripe webhooks: verifies the signature over the exact bytes, then records and
 * processes each event id once. The event's effects and its `webhook_events` row commit in one
 * transaction, so a crash in between leaves neither and Stripe's retry does the work again; a
 * repeated or concurrent delivery of a done event changes nothing.
 */
import type Stripe from 'stripe';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import { errors, isAppError } from '../../platform/http/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { EmailSender } from '../../platform/mail/email-sender.ts';
import type { Fulfilment } from './fulfilment.ts';
import type { StripeReader } from './gateways/stripe-client.ts';
import type { StripeGateway } from './gateways/stripe.ts';
import { sendPaymentReceipt } from './payments.service.ts';
import type { RefundsService } from './refunds.service.ts';
import { createStripeEventHandlers, type EventOutcome, type PreparedEvent } from './stripe-events.ts';
import * as wq from './webhook-events.queries.ts';

const ZStripeEvent = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  livemode: z.boolean().optional(),
  // Some objects (e.g. `balance`) have no id: such events are still answered and recorded.
  data: z.object({ object: z.object({ id: z.string().min(1).max(255).optional(), object: z.string().max(100).optional() }) }),
});

export type WebhookOutcome = 'processed' | 'ignored' | 'duplicate';

export interface StripeWebhooksDeps {
  db: Db;
  clock: Clock;
  stripe: Stripe;
  reader: StripeReader;
  gateway: StripeGateway;
  webhookSecret: string;
  fulfilment: Fulfilment;
  refunds: RefundsService;
  mailer: EmailSender;
  log: Logger;
}

export function createStripeWebhooks(deps: StripeWebhooksDeps) {
  const handlers = createStripeEventHandlers(deps);

  function verify(raw: Buffer, signature: string | undefined): z.infer<typeof ZStripeEvent> {
    if (!signature) throw errors.invalidSignature('The Stripe-Signature header is missing.');
    let event: unknown;
    try {
      event = deps.stripe.webhooks.constructEvent(raw, signature, deps.webhookSecret);
    } catch {
      throw errors.invalidSignature('The Stripe-Signature header does not match the body (or is too old).');
    }
    const parsed = ZStripeEvent.safeParse(event);
    if (!parsed.success) throw errors.badRequest('The body is not a Stripe event.');
    return parsed.data;
  }

  async function receive(raw: Buffer, signature: string | undefined): Promise<{ received: true; outcome: WebhookOutcome }> {
    const event = verify(raw, signature);
    const record: wq.WebhookEventRecord = {
      provider: 'stripe',
      eventId: event.id,
      type: event.type,
      summary: { object: event.data.object.object ?? null, object_id: event.data.object.id ?? null, livemode: event.livemode ?? null },
      now: deps.clock.now(),
    };
    const seen = await wq.findWebhookEvent(deps.db, 'stripe', event.id);
    if (seen && seen.status !== 'failed') return { received: true, outcome: 'duplicate' };

    const handler = handlers.get(event.type);
    const objectId = event.data.object.id;
    let outcome: EventOutcome | undefined;
    try {
      const prepared: PreparedEvent = !handler
        ? { status: 'ignored', note: 'event type not handled' }
        : objectId
          ? await handler(objectId)
          : { status: 'ignored', note: 'the event names no object' };
      outcome = await deps.db.transaction(async (tx) => {
        const claim = await wq.claimWebhookEvent(tx, { ...record, ...('apply' in prepared ? { status: 'processed' } : prepared) });
        if (!claim) return undefined; // another delivery got there first
        if (!('apply' in prepared)) return prepared;
        const result = await prepared.apply(tx);
        if (result.status !== 'processed' || result.note) await wq.setWebhookEventOutcome(tx, claim.id, result.status, result.note ?? null);
        return result;
      });
    } catch (err) {
      await recordFailure(record, err);
      throw err;
    }
    if (!outcome) return { received: true, outcome: 'duplicate' };
    if (outcome.receipt) await sendPaymentReceipt(deps, outcome.receipt);
    for (const refund of outcome.refunds ?? []) {
      await deps.refunds.notify(refund);
      if (refund.payment.purpose === 'plan' && refund.payment.status === 'refunded') await deps.refunds.endAtStripe(refund.payment);
    }
    return { received: true, outcome: outcome.status };
  }

  /** Leaves a `failed` row for operators; the answer (5xx) makes Stripe deliver the event again. */
  async function recordFailure(record: wq.WebhookEventRecord, err: unknown): Promise<void> {
    if (!isAppError(err)) deps.log.error({ err, eventId: record.eventId, type: record.type }, 'stripe webhook: processing failed');
    try {
      await wq.recordWebhookFailure(deps.db, { ...record, note: isAppError(err) ? err.message : 'internal error (see the log)' });
    } catch (recordErr) {
      deps.log.error({ err: recordErr, eventId: record.eventId }, 'stripe webhook: could not record the failure');
    }
  }

  return { receive };
}

export type StripeWebhooks = ReturnType<typeof createStripeWebhooks>;
