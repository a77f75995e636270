/**
 * The SMTP transport: hands each message to the server named by SMTP_URL (smtp:// or smtps://,
 * credentials in the URL, e.g. smtp://user:pass@mail.example.com:587).
 */
import nodemailer from 'nodemailer';
import { DeliveryError } from '../delivery-error.ts';
import type { MailMessage, Mailer } from './mailer.ts';

/**
 * Nodemailer waits up to 2 min to connect and 10 min on an idle socket by default; a stuck server
 * would hold a worker that long. These bound one delivery attempt to well under a minute.
 */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** Connection failures from Node or nodemailer that say nothing about the message itself. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'ECONNREFUSED', 'ECONNRESET']);

interface SmtpFailure {
  code?: string;
  responseCode?: number;
}

export function createSmtpMailer(opts: { url: string; from: string }): Mailer & { close(): Promise<void> } {
  const transporter = nodemailer.createTransport({ url: opts.url, ...TIMEOUTS });
  return {
    async send(m: MailMessage) {
      try {
        const info = await transporter.sendMail({ from: opts.from, to: m.to, subject: m.subject, text: m.text, html: m.html, headers: m.headers });
        return { id: info.messageId };
      } catch (err) {
        throw toDeliveryError(err);
      }
    },
    async close() {
      transporter.close();
    },
  };
}

function toDeliveryError(err: unknown): DeliveryError {
  const { code, responseCode } = (err ?? {}) as SmtpFailure;
  // RFC 5321: 4yz replies are transient, 5yz permanent (503 is a session-state error, not a refusal).
  const retryable = responseCode !== undefined ? responseCode < 500 || responseCode === 503 : TRANSIENT_CODES.has(code ?? '');
  const detail = [code, responseCode].filter((v) => v !== undefined).join(' ');
  return new DeliveryError(`SMTP delivery failed${detail ? ` (${detail})` : ''}.`, { channel: 'email', transport: 'smtp', retryable, cause: err });
}
