/**
 * The sign-up credits, granted with an account's first verified address (decision 051) — a code
 * sent to it, or a provider vouching for it at an OAuth sign-up. Credits for an address nobody
 * proved to own would make every throwaway registration worth something. The ledger's
 * `signup:<user>` key keeps racing verifications to one grant.
 */
import type { Tx } from '../../platform/db/types.ts';
import type { AccountsContext } from './context.ts';

export async function grantWelcomeCredits(ctx: Pick<AccountsContext, 'config' | 'credits'>, tx: Tx, userId: string): Promise<void> {
  if (ctx.config.signupCredits <= 0) return;
  await ctx.credits.grantSignupBonus(tx, { userId, amount: ctx.config.signupCredits, idempotencyKey: `signup:${userId}`, description: 'Welcome credits' });
}
