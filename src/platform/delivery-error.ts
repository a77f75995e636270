/**
 * What every outgoing transport (SMTP, Kavenegar, Twilio) throws when a message did not go out.
 * `retryable` tells a job runner whether the same message may succeed later (a network failure, a
 * provider outage) or will be refused again (bad credentials, an invalid recipient, no credit).
 * Messages name the transport and the provider's status, never the message text or its code.
 */
export type DeliveryChannel = 'email' | 'sms';

export class DeliveryError extends Error {
  readonly channel: DeliveryChannel;
  readonly transport: string;
  readonly retryable: boolean;

  constructor(message: string, opts: { channel: DeliveryChannel; transport: string; retryable: boolean; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DeliveryError';
    this.channel = opts.channel;
    this.transport = opts.transport;
    this.retryable = opts.retryable;
  }
}

/** An HTTP provider's answer worth retrying: its own failure (5xx) or a rate limit (429). */
export const isRetryableHttpStatus = (status: number): boolean => status >= 500 || status === 429;
