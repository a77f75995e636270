/** Small, audited-by-eye helpers around node:crypto. Secrets are compared in constant time. */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export const sha256Hex = (value: string | Buffer): string => createHash('sha256').update(value).digest('hex');

export const hmacHex = (key: string | Buffer, value: string): string => createHmac('sha256', key).update(value).digest('hex');

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** A numeric one-time code with leading zeros kept, drawn uniformly. */
export const randomDigits = (length = 6): string => randomInt(0, 10 ** length).toString().padStart(length, '0');

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
