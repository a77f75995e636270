/** Outgoing email behind one interface; the transport is chosen by configuration. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** A one-time code the message carries; only the dev outbox ever shows it. */
  code?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ id: string }>;
}
