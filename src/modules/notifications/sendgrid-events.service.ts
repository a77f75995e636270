/**
 * POST /email/webhooks/sendgrid: SendGrid's Event Webhook moves the email logs. The signature is
 * checked over the raw body before anything is read (bad → 400, nothing written); then, in one
 * transaction, each event moves its log row forward (delivered, open, click, bounce, spamreport) —
 * never back, so late and repeated events change nothing — and an `unsubscribe` event turns that
 * user's marketing mail off as the link would.
 */
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { optOutOfMarketing } from '../accounts/index.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import { errors } from '../../platform/http/errors.ts';
import { findUserIdByEmail } from './campaigns.queries.ts';
import { advanceEmailLog, findEmailLogBy, markUnsubscribed } from './email-logs.queries.ts';
import type { EmailLogStatus } from './notifications.tables.ts';
import { verifySendGridSignature } from './sendgrid-signature.ts';

const ZEvent = z.looseObject({
  event: z.string(),
  sg_message_id: z.string().optional(),
  email_log_id: z.uuid().optional(),
});
const ZEvents = z.array(ZEvent).max(10_000);

const statusOf: Partial<Record<string, EmailLogStatus>> = { delivered: 'delivered', open: 'opened', click: 'clicked', bounce: 'bounced', spamreport: 'complained' };

export function createSendGridEvents(deps: { db: Db; clock: Clock; key: KeyObject }) {
  async function receive(raw: Buffer, signature: string | undefined, timestamp: string | undefined): Promise<{ received: number; applied: number }> {
    if (!verifySendGridSignature(deps.key, signature, timestamp, raw)) throw errors.invalidSignature();
    let events: z.infer<typeof ZEvents>;
    try {
      events = ZEvents.parse(JSON.parse(raw.toString('utf8')));
    } catch {
      throw errors.validation([{ path: 'body', message: 'not a SendGrid event array' }]);
    }
    const now = deps.clock.now();
    const applied = await deps.db.transaction(async (tx) => {
      let n = 0;
      for (const e of events) {
        // sg_message_id is the X-Message-Id plus a suffix per recipient ("<id>.filter…").
        const by = { id: e.email_log_id, providerMessageId: e.sg_message_id?.split('.')[0] };
        const status = statusOf[e.event];
        if (status && (await advanceEmailLog(tx, by, status, now))) n++;
        if (e.event === 'unsubscribe') {
          const log = await findEmailLogBy(tx, by);
          if (!log) continue;
          if (await markUnsubscribed(tx, log.id, now)) n++;
          const userId = await findUserIdByEmail(tx, log.to);
          if (userId) await optOutOfMarketing(tx, userId, now);
        }
      }
      return n;
    });
    return { received: events.length, applied };
  }
  return { receive };
}

export type SendGridEvents = ReturnType<typeof createSendGridEvents>;
