/**
 * One-click unsubscribe tokens (RFC 8058): `<email log id>.<HMAC-SHA256 of it under the server
 * secret>`, base64url. The log row names the address and the campaign, so the link needs no login
 * and carries nothing personal; without the secret a token for another row cannot be made.
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../../platform/crypto.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const signatureOf = (secret: string, logId: string) => createHmac('sha256', secret).update(`unsubscribe:${logId}`).digest('base64url');

export const unsubscribeToken = (secret: string, logId: string): string => `${logId}.${signatureOf(secret, logId)}`;

/** The email log id the token was made for, or undefined when it is not one this server signed. */
export function verifyUnsubscribeToken(secret: string, token: string): string | undefined {
  const [logId, signature, ...rest] = token.split('.');
  if (!logId || !signature || rest.length > 0 || !UUID.test(logId)) return undefined;
  return safeEqual(signature, signatureOf(secret, logId)) ? logId : undefined;
}
