/**
 * A payment gateway as checkout sees it: given a pending payment, open a checkout at the provider
 * and say where to send the buyer. Completion comes back another way (a verified webhook, a
 * callback plus server-side verify) and ends in `Fulfilment.complete`, never here.
 *
 * `startCheckout` runs outside any database transaction (a provider may take seconds to answer):
 * the pending payment is committed before it and given the provider's id after it. When the
 * provider refuses or cannot be reached it throws, and checkout marks the payment failed.
 */
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
  customerPhone: string | null;
  /** Where the buyer lands after paying (the payment's return_url, or the app's own page). */
  returnUrl: string;
}

export interface CheckoutSession {
  /** The provider's id of this checkout (Stripe session id, ZarinPal authority); unique per provider. */
  providerPaymentId: string;
  redirectUrl: string;
  /** Where the provider sends the buyer back to us, when it is ours to record (ZarinPal). */
  callbackUrl?: string;
}

export interface PaymentGateway {
  readonly provider: 'stripe' | 'zarinpal';
  startCheckout(request: CheckoutRequest): Promise<CheckoutSession>;
  /**
   * For providers that renew subscriptions themselves: stop renewing at the end of the current
   * period. Throws when the provider refuses or cannot be reached, before anything changes here.
   */
  cancelAtPeriodEnd?(providerSubscriptionId: string): Promise<void>;
  /**
   * For the same providers: end the subscription now, so it bills nothing more (an erased account,
   * a subscription that is not the user's current one). Done already is fine; throws when the
   * provider refuses or cannot be reached.
   */
  cancelNow?(providerSubscriptionId: string): Promise<void>;
}

export type PaymentGateways = Partial<Record<PaymentGateway['provider'], PaymentGateway>>;
