/**
 * SendGrid's signed Event Webhook: `X-Twilio-Email-Event-Webhook-Signature` is a base64 DER ECDSA
 * (P-256, SHA-256) signature over the `X-Twilio-Email-Event-Webhook-Timestamp` header followed by
 * the exact body bytes; the verification key is shown in SendGrid as base64 DER (SPKI).
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

/** The key from configuration; throws at start when it is not an EC public key. */
export function sendGridVerificationKey(base64Der: string): KeyObject {
  const key = createPublicKey({ key: Buffer.from(base64Der, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ec') throw new Error('SENDGRID_WEBHOOK_PUBLIC_KEY is not an ECDSA public key.');
  return key;
}

export function verifySendGridSignature(key: KeyObject, signature: string | undefined, timestamp: string | undefined, body: Buffer): boolean {
  if (!signature || !timestamp) return false;
  try {
    return verify('sha256', Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
