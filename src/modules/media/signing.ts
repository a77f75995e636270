/**
 * Expiring links to an asset's bytes that work without an Authorization header (for <img src>).
 * Local disk: the API's own content route with `expires` and an HMAC of the asset id, variant and
 * expiry under the server secret. S3: the bucket's own presigned URL.
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../../platform/crypto.ts';

export type Variant = 'content' | 'thumbnail';

/** Links live at least an hour; the expiry is rounded so a page reloaded soon gets the same URLs (cacheable). */
export const LINK_TTL_SEC = 3600;
const ROUND_SEC = 900;

export function linkExpiry(now: Date): number {
  const sec = Math.floor(now.getTime() / 1000) + LINK_TTL_SEC;
  return Math.ceil(sec / ROUND_SEC) * ROUND_SEC;
}

export function signLink(secret: string, assetId: string, variant: Variant, expires: number): string {
  return createHmac('sha256', secret).update(`asset-link:${assetId}:${variant}:${expires}`).digest('base64url');
}

export function verifyLink(secret: string, assetId: string, variant: Variant, expires: number, sig: string, now: Date): boolean {
  if (!Number.isSafeInteger(expires) || expires * 1000 < now.getTime()) return false;
  return safeEqual(sig, signLink(secret, assetId, variant, expires));
}
