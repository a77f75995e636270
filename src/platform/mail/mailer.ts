/** Outgoing email behind one interface; the transport is chosen by configuration. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** A one-time code the message carries; only the dev outbox ever shows it. */
  code?: string;
  /** Extra headers, e.g. List-Unsubscribe on campaign mail. */
  headers?: Record<string, string>;
  /** The email_logs row of this message, for providers that echo it back on their events (SendGrid). */
  logId?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ id: string }>;
}
