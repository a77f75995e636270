/**
 * A payment gateway as checkout sees it: given a pending payment, open a checkout at the provider
 * and say where to send the buyer. Completion comes back another way (a verified webhook, a
 * callback plus server-side verify) and ends in `Fulfilment.complete`, never here.
 *
 * `startCheckout` runs inside the checkout's transaction: when the provider refuses or cannot be
 * reached it throws, the transaction rolls back and no pending payment is left behind.
 */
import type { Tx } from '../../../platform/db/types.ts';
import type { BillingPeriod, ProviderPriceIds } from '../offers.tables.ts';
import type { PaymentRow } from '../payments.queries.ts';

export interface CheckoutItem {
  kind: 'package' | 'plan';
  /** What the buyer sees at the provider, e.g. "Pro credit package". */
  name: string;
  /** `none` for packages and one-off plans. */
  billingPeriod: BillingPeriod;
  providerPriceIds: ProviderPriceIds;
}

export interface CheckoutRequest {
  payment: PaymentRow;
  item: CheckoutItem;
  customerEmail: string | null;
  /** Where the buyer lands after paying (the payment's return_url, or the app's own page). */
  returnUrl: string;
}

export interface CheckoutSession {
  /** The provider's id of this checkout (Stripe session id, ZarinPal authority); unique per provider. */
  providerPaymentId: string;
  redirectUrl: string;
}

export interface PaymentGateway {
  readonly provider: 'stripe' | 'zarinpal';
  startCheckout(tx: Tx, request: CheckoutRequest): Promise<CheckoutSession>;
  /**
   * For providers that renew subscriptions themselves: stop renewing at the end of the current
   * period. Throws when the provider refuses or cannot be reached, before anything changes here.
   */
  cancelAtPeriodEnd?(providerSubscriptionId: string): Promise<void>;
}

export type PaymentGateways = Partial<Record<PaymentGateway['provider'], PaymentGateway>>;
