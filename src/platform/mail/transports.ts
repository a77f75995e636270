/**
 * Builds the mail and SMS senders from configuration. A real transport (SMTP, Kavenegar, Twilio)
 * is wrapped so that, with the dev outbox on, every message it delivered is also recorded in
 * `outbox_messages`: GET /api/v1/dev/outbox then lists everything sent, codes included.
 */
import type { Config } from '../../config.ts';
import type { Db } from '../db/types.ts';
import type { Logger } from '../logger.ts';
import type { SmsMessage, SmsSender } from '../sms/sms.ts';
import { createKavenegarSms } from '../sms/kavenegar.ts';
import { createTwilioSms } from '../sms/twilio.ts';
import type { MailMessage, Mailer } from './mailer.ts';
import { createOutboxMailer, createOutboxSms } from './outbox.ts';
import { createSendGridMailer } from './sendgrid.ts';
import { createSmtpMailer } from './smtp.ts';

export interface TransportDeps {
  db: Db;
  devOutbox: boolean;
  log: Logger;
}

export function createMailer(config: Config['mail'], deps: TransportDeps): Mailer & { close(): Promise<void> } {
  const outbox = createOutboxMailer(deps.db);
  if (config.transport === 'outbox') return { send: (m) => outbox.send(m), close: async () => {} };
  if (config.transport === 'sendgrid') {
    // loadConfig refuses MAIL_TRANSPORT=sendgrid without SENDGRID_API_KEY; this guards configs built by hand.
    if (!config.sendgrid.apiKey) throw new Error('The sendgrid mail transport needs an API key.');
    const sendgrid = createSendGridMailer({ apiKey: config.sendgrid.apiKey, apiBase: config.sendgrid.apiBase, from: config.from });
    return { send: deps.devOutbox ? copyToOutbox(sendgrid, outbox, 'email', deps.log) : (m) => sendgrid.send(m), close: async () => {} };
  }
  // loadConfig refuses MAIL_TRANSPORT=smtp without SMTP_URL; this guards configs built by hand.
  if (!config.smtpUrl) throw new Error('The smtp mail transport needs an SMTP URL.');
  const smtp = createSmtpMailer({ url: config.smtpUrl, from: config.from });
  return {
    send: deps.devOutbox ? copyToOutbox(smtp, outbox, 'email', deps.log) : (m) => smtp.send(m),
    close: () => smtp.close(),
  };
}

export function createSmsSender(config: Config['sms'], deps: TransportDeps): SmsSender {
  const outbox = createOutboxSms(deps.db);
  let real: SmsSender;
  switch (config.transport) {
    case 'outbox':
      return outbox;
    case 'kavenegar':
      real = createKavenegarSms({ apiKey: config.apiKey, sender: config.sender, apiBase: config.apiBase });
      break;
    case 'twilio':
      real = createTwilioSms({ accountSid: config.accountSid, authToken: config.authToken, from: config.from, apiBase: config.apiBase });
      break;
  }
  return deps.devOutbox ? { send: copyToOutbox(real, outbox, 'sms', deps.log) } : real;
}

/**
 * Sends through the real transport, then records a copy. The copy comes after a successful send
 * only, so the outbox never lists a message that did not leave; and a failed copy is logged, not
 * thrown, because the message is already out and a caller retrying would send it twice.
 */
function copyToOutbox<M extends MailMessage | SmsMessage>(
  real: { send(m: M): Promise<{ id: string }> },
  outbox: { send(m: M): Promise<{ id: string }> },
  channel: 'email' | 'sms',
  log: Logger,
): (m: M) => Promise<{ id: string }> {
  return async (m) => {
    const sent = await real.send(m);
    try {
      await outbox.send(m);
    } catch (err) {
      log.warn({ err, channel, id: sent.id }, 'sent, but the dev outbox copy could not be written');
    }
    return sent;
  };
}
