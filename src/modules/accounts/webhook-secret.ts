/**
 * The user's Standard Webhooks secret (`whsec_` + base64 of 24 random bytes), created on first
 * use. Both `/me/webhook-secret` and the generation engine's outgoing webhooks read it here, so the
 * secret a user sees is the one their deliveries are signed with.
 */
import { randomBytes } from 'node:crypto';
import type { DbOrTx } from '../../platform/db/types.ts';
import * as uq from './accounts.queries.ts';

export async function webhookSecretOf(db: DbOrTx, userId: string, now: Date): Promise<string | undefined> {
  const user = await uq.findUserById(db, userId);
  if (!user) return undefined;
  if (user.webhookSecret) return user.webhookSecret;
  // Set only if still unset, then read back: two first requests agree on one secret.
  await uq.setWebhookSecretIfUnset(db, userId, `whsec_${randomBytes(24).toString('base64')}`, now);
  return (await uq.findUserById(db, userId))?.webhookSecret ?? undefined;
}
