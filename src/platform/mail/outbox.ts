/**
 * The outbox transport: messages are written to `outbox_messages` instead of leaving the machine.
 * It is the default transport offline and in tests, and, with ATELIER_DEV_OUTBOX=on, a copy of every
 * message sent by a real transport lands here too so developers can read codes.
 */
import type { Db } from '../db/types.ts';
import type { SmsMessage, SmsSender } from '../sms/sms.ts';
import type { MailMessage, Mailer } from './mailer.ts';
import { insertOutboxMessage } from './outbox.queries.ts';

export function createOutboxMailer(db: Db): Mailer {
  return {
    async send(m: MailMessage) {
      const row = await insertOutboxMessage(db, { channel: 'email', to: m.to, subject: m.subject, body: m.text, html: m.html, code: m.code, metadata: m.headers ? { headers: m.headers } : {} });
      return { id: row.id };
    },
  };
}

export function createOutboxSms(db: Db): SmsSender {
  return {
    async send(m: SmsMessage) {
      const row = await insertOutboxMessage(db, { channel: 'sms', to: m.to, body: m.text, code: m.code });
      return { id: row.id };
    },
  };
}
