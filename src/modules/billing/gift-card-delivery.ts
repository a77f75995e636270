/**
 * A gift card's code reaches its recipient through a queued, retried job (issue 16, item 10;
 * decision 108).
 *
 * Only a code's hash is stored (gift-code.ts), so a code that was never delivered could not be sent
 * again: an email sent after the commit, once, lost the card when the mail server was down. Now the
 * transaction that issues the card also enqueues `billing.gift-card-deliver`, carrying the code
 * sealed under the server secret and the card's id (like one-time codes, decision 100): the job
 * exists exactly when the card does, nobody reading the job table sees the code, and a failed send
 * is retried with the same code. A card redeemed, disabled or erased meanwhile is not sent.
 */
import { z } from 'zod';
import { seal, unseal } from '../../platform/crypto.ts';
import type { Db, Tx } from '../../platform/db/types.ts';
import type { Logger } from '../../platform/logger.ts';
import type { EmailSender } from '../../platform/mail/email-sender.ts';
import { jobHandler, type JobDefinition, type JobHandler, type Queue } from '../../platform/queue/queue.ts';
import { findGiftCard } from './admin-gift-cards.queries.ts';

export const giftCardDeliverJob = {
  name: 'billing.gift-card-deliver',
  schema: z.object({ gift_card_id: z.uuid(), sealed_code: z.string() }),
  // Backoff from 30 s over 8 tries: a mail server down for about two hours still gets the code out.
  options: { retryLimit: 8, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 },
  batchSize: 1,
} satisfies JobDefinition;

export type GiftCardDeliverJob = z.infer<typeof giftCardDeliverJob.schema>;

/** A card just issued, as the issuing transaction knows it: the code exists only here. */
export interface IssuedCode {
  cardId: string;
  code: string;
}

const purposeOf = (cardId: string) => `gift-card:${cardId}`;

export function createGiftCardDelivery(deps: { db: Db; queue: Queue; secret: string; mailer: EmailSender; log: Logger }) {
  /** Enqueues the email in the transaction that issued the card, so it leaves only if the card exists. */
  async function enqueue(tx: Tx, issued: IssuedCode): Promise<void> {
    await deps.queue.send(giftCardDeliverJob, { gift_card_id: issued.cardId, sealed_code: seal(deps.secret, purposeOf(issued.cardId), issued.code) }, { tx });
  }

  /** The job: sends the code unless the card is gone, used, disabled or has no recipient any more. A failed send throws, and the queue retries. */
  async function deliver(job: GiftCardDeliverJob): Promise<void> {
    const card = await findGiftCard(deps.db, job.gift_card_id);
    if (!card || card.status !== 'active' || !card.recipientEmail) {
      deps.log.info({ giftCardId: job.gift_card_id, status: card?.status ?? 'gone' }, 'billing: gift card email not sent; the card is no longer waiting for it');
      return;
    }
    const code = unseal(deps.secret, purposeOf(card.id), job.sealed_code);
    await deps.mailer.send({ to: card.recipientEmail, template: 'gift_card', variables: { code, credits: card.credits }, code });
  }

  return { enqueue, deliver };
}

export type GiftCardDelivery = ReturnType<typeof createGiftCardDelivery>;

export const giftCardDeliverHandler = (delivery: Pick<GiftCardDelivery, 'deliver'>): JobHandler => jobHandler(giftCardDeliverJob, (data) => delivery.deliver(data));
