/**
 * The user's Standard Webhooks secret (`whsec_` + base64 of 24 random bytes), created on first
 * use. Both `/me/webhook-secret` and the generation engine's outgoing webhooks read it here, so the
 * secret a user sees is the one their deliveries are signed with.
 */
import { randomBytes } from 'node:crypto';
import type { DbOrTx } from '../../platform/db/types.ts';
import * as uq from './accounts.queries.ts';

/** The user's row with its secret set (one read once it exists); undefined when the user is gone. */
async function withSecret(db: DbOrTx, userId: string, now: Date): Promise<uq.UserRow | undefined> {
  const user = await uq.findUserById(db, userId);
  if (!user || user.webhookSecret) return user;
  // Set only if still unset, then read back: two first requests agree on one secret.
  await uq.setWebhookSecretIfUnset(db, userId, `whsec_${randomBytes(24).toString('base64')}`, now);
  return uq.findUserById(db, userId);
}

export async function webhookSecretOf(db: DbOrTx, userId: string, now: Date): Promise<string | undefined> {
  return (await withSecret(db, userId, now))?.webhookSecret ?? undefined;
}

/** How long deliveries are also signed with the secret a rotation replaced (decision 102). */
export const WEBHOOK_SECRET_OVERLAP_MS = 24 * 3_600_000;

/**
 * Every secret a delivery is signed with now: the current one first, then the one the last
 * rotation replaced while its overlap lasts. Empty when the user is gone.
 */
export async function webhookSecretsOf(db: DbOrTx, userId: string, now: Date): Promise<string[]> {
  const user = await withSecret(db, userId, now);
  if (!user?.webhookSecret) return [];
  const previous = user.previousWebhookSecret && user.previousWebhookSecretUntil && user.previousWebhookSecretUntil > now ? [user.previousWebhookSecret] : [];
  return [user.webhookSecret, ...previous];
}

/**
 * A new secret, returned once; the replaced one keeps signing deliveries (as a second `v1,`
 * signature) for WEBHOOK_SECRET_OVERLAP_MS, so receivers can switch without losing a delivery.
 */
export async function rotateWebhookSecretOf(db: DbOrTx, userId: string, now: Date): Promise<{ secret: string; previousValidUntil: Date } | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await webhookSecretOf(db, userId, now);
    if (!current) return undefined;
    const next = `whsec_${randomBytes(24).toString('base64')}`;
    const until = new Date(now.getTime() + WEBHOOK_SECRET_OVERLAP_MS);
    if (await uq.rotateWebhookSecret(db, userId, current, next, until, now)) return { secret: next, previousValidUntil: until };
  }
  throw new Error('webhook secret rotation kept racing another rotation');
}
