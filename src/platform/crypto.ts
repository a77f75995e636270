/** Small, audited-by-eye helpers around node:crypto. Secrets are compared in constant time. */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export const sha256Hex = (value: string | Buffer): string => createHash('sha256').update(value).digest('hex');

export const hmacHex = (key: string | Buffer, value: string): string => createHmac('sha256', key).update(value).digest('hex');

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/**
 * A numeric one-time code with leading zeros kept, drawn uniformly. Drawn in chunks of at most 12
 * digits: randomInt's range stops at 2^48, so one draw for 15 or more digits would throw.
 */
export function randomDigits(length = 6): string {
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`randomDigits: length must be a positive integer, got ${length}`);
  let out = '';
  while (out.length < length) {
    const n = Math.min(12, length - out.length);
    out += randomInt(0, 10 ** n).toString().padStart(n, '0');
  }
  return out;
}

/** Constant-time equality of two strings; different lengths are simply unequal. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) {
    // Still spend the comparison so the length check is not a faster path.
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}

/**
 * Authenticated encryption (AES-256-GCM) of a short secret under a key derived from the server
 * secret and a purpose, for values that must wait somewhere readable (a queued job's payload) but
 * must not be readable there: `<iv>.<tag>.<ciphertext>`, base64url. A different purpose or a
 * rotated server secret cannot open it.
 */
export function seal(secret: string, purpose: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(secret, purpose), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

/** The plaintext of `seal`; throws if the value was altered or sealed under another key. */
export function unseal(secret: string, purpose: string, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !body) throw new Error('unseal: malformed value');
  const decipher = createDecipheriv('aes-256-gcm', sealKey(secret, purpose), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}

const sealKey = (secret: string, purpose: string) => createHmac('sha256', secret).update(`seal:${purpose}`).digest();
