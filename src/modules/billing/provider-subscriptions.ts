/**
 * Subscriptions a provider renews by itself (Stripe) must end at the provider when the account
 * behind them ends: deleting our row stops nothing there, and each renewal would then take money
 * for an account that no longer exists. Erasure calls this before it deletes anything.
 */
import type { Db } from '../../platform/db/types.ts';
import { errors } from '../../platform/http/errors.ts';
import type { PaymentGateways } from './gateways/gateway.ts';
import * as q from './payments.queries.ts';

export function createProviderSubscriptions(deps: { db: Db; gateways: PaymentGateways }) {
  /**
   * Cancels the user's renewing provider subscription at once. Throws 502 payment_provider_error
   * when the provider refuses, cannot be reached or is not configured: the caller then changes
   * nothing (decision 054).
   */
  async function endForErasure(userId: string): Promise<void> {
    const current = await q.findSubscription(deps.db, userId);
    if (current?.status !== 'active' || !current.providerSubscriptionId || current.provider !== 'stripe') return;
    const gateway = deps.gateways.stripe;
    if (!gateway?.cancelNow) {
      throw errors.paymentProvider('Stripe is not configured on this server, so the subscription it renews cannot be cancelled; the account was not erased.');
    }
    await gateway.cancelNow(current.providerSubscriptionId);
  }

  return { endForErasure };
}

export type ProviderSubscriptions = ReturnType<typeof createProviderSubscriptions>;
