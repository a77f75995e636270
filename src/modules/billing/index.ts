/** What other modules and the composition root may use of billing. */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import type { EmailSender } from '../../platform/mail/email-sender.ts';
import { createIdempotency, type Idempotency } from '../../platform/http/idempotency.ts';
import { adminBillingRoutes } from './admin-billing.routes.ts';
import { createAdminBillingService } from './admin-billing.service.ts';
import { adminOffersRoutes } from './admin-offers.routes.ts';
import { createAdminOffersService } from './admin-offers.service.ts';
import { adminGiftCardsRoutes } from './admin-gift-cards.routes.ts';
import { createAdminGiftCardsService } from './admin-gift-cards.service.ts';
import { offersRoutes } from './offers.routes.ts';
import { createOffersService } from './offers.service.ts';
export { enabledProviders } from './offers.service.ts';
import { creditsRoutes } from './credits.routes.ts';
import { createCreditsService } from './credits.service.ts';
import { createFulfilment } from './fulfilment.ts';
import { createGiftCardDelivery } from './gift-card-delivery.ts';
import { createLedger } from './ledger.ts';
import { paymentsRoutes } from './payments.routes.ts';
import { createPaymentsService } from './payments.service.ts';
import { createPlanLimits } from './plan-limits.ts';
import { createProviderSubscriptions } from './provider-subscriptions.ts';
export type { ProviderSubscriptions } from './provider-subscriptions.ts';
import { promotionsRoutes } from './promotions.routes.ts';
import { createPromotionsService } from './promotions.service.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Queue } from '../../platform/queue/queue.ts';
import type { PaymentGateways } from './gateways/gateway.ts';
import { createStripeGateway } from './gateways/stripe.ts';
import { createStripeClient, createStripeReader } from './gateways/stripe-client.ts';
import { createStripeWebhooks, type StripeWebhooks } from './stripe-webhooks.service.ts';
import { stripeWebhookRoutes } from './stripe-webhooks.routes.ts';
import { createZarinpalGateway } from './gateways/zarinpal.ts';
import { zarinpalRoutes } from './zarinpal.routes.ts';
import { createZarinpalService } from './zarinpal.service.ts';
import { appBaseUrl } from './payments.service.ts';
import { refundsRoutes } from './refunds.routes.ts';
import { createRefundsService } from './refunds.service.ts';

export { createLedger, checkCreditInvariants, type Ledger, type CreditChange, type LedgerResult, type HoldRequest, type HoldResult } from './ledger.ts';
export { creditTransactions, creditTransactionTypes, type CreditTransactionType } from './credits.tables.ts';
export { paymentProviders, paymentStatuses, type PaymentProvider } from './payments.tables.ts';
export { payments, subscriptions } from './payments.tables.ts';
export { refunds } from './refunds.tables.ts';
export { ZPayment } from './payments.dto.ts';
export { paymentView } from './payments.service.ts';
export { getBalance, ledgerSum, type CreditBalanceRow } from './credits.queries.ts';
export { expireCreditsJob, expireCreditsHandler, sweepExpiredCredits } from './credits.jobs.ts';
export { expireSubscriptionsJob, expireSubscriptionsHandler, sweepEndedSubscriptions } from './subscriptions.jobs.ts';
export { expirePaymentsJob, expirePaymentsHandler, expireStalePayments } from './payments.jobs.ts';
export { createFulfilment, failPending, type Fulfilment } from './fulfilment.ts';
export { giftCardDeliverHandler, giftCardDeliverJob, type GiftCardDelivery } from './gift-card-delivery.ts';
export { creditInvariantReport, type CreditInvariantReport } from './invariants.ts';
export { createPlanLimits, effectivePlan, subscriptionInForce, type EffectivePlan, type PlanLimits, type QuotaPlan } from './plan-limits.ts';

export interface BillingDeps {
  db: Db;
  clock: Clock;
  queue: Queue;
  /** The server secret: gift-card codes wait for their email sealed under it. */
  secret: string;
  config: Pick<Config, 'payments' | 'publicUrl' | 'port'>;
  mailer: EmailSender;
  log: Logger;
}

export function createBillingModule(deps: BillingDeps) {
  const db = deps.db;
  const ledger = createLedger({ clock: deps.clock });
  const giftCards = createGiftCardDelivery({ db, queue: deps.queue, secret: deps.secret, mailer: deps.mailer, log: deps.log });
  const fulfilment = createFulfilment({ clock: deps.clock, ledger, giftCards });
  const promotions = createPromotionsService({ db, clock: deps.clock, ledger });
  // External gateways register here, each only when its configuration is present.
  const gateways: PaymentGateways = {};
  let stripeWebhooks: StripeWebhooks | undefined;
  const stripeConfig = deps.config.payments.stripe;
  const stripe = stripeConfig ? createStripeClient(stripeConfig) : undefined;
  const stripeGateway = stripe ? createStripeGateway({ stripe, log: deps.log }) : undefined;
  const refunds = createRefundsService({ db, clock: deps.clock, stripe: stripeGateway, mailer: deps.mailer, log: deps.log });
  if (stripeConfig && stripe && stripeGateway) {
    gateways.stripe = stripeGateway;
    const reader = createStripeReader(stripe, deps.log);
    stripeWebhooks = createStripeWebhooks({ db, clock: deps.clock, stripe, reader, gateway: stripeGateway, webhookSecret: stripeConfig.webhookSecret, fulfilment, refunds, mailer: deps.mailer, log: deps.log });
  }
  const zp = deps.config.payments.zarinpal;
  const zarinpalGateway = zp
    ? createZarinpalGateway({ ...zp, callbackUrl: `${appBaseUrl(deps.config)}/api/v1/billing/zarinpal/callback` })
    : undefined;
  if (zarinpalGateway) gateways.zarinpal = zarinpalGateway;
  return {
    /** The one ledger every credit change goes through; the composition root hands it to other modules. */
    ledger,
    credits: createCreditsService({ db, clock: deps.clock }),
    offers: createOffersService({ db, config: deps.config }),
    payments: createPaymentsService({ db, clock: deps.clock, config: deps.config, fulfilment, gateways, promotions, mailer: deps.mailer, log: deps.log }),
    promotions,
    zarinpal: createZarinpalService({ db, config: deps.config, fulfilment, gateway: zarinpalGateway, mailer: deps.mailer, log: deps.log }),
    admin: createAdminBillingService({ db, clock: deps.clock, ledger }),
    refunds,
    adminOffers: createAdminOffersService({ db, clock: deps.clock }),
    adminGiftCards: createAdminGiftCardsService({ db, clock: deps.clock, giftCards }),
    /** Sends issued gift cards' codes (its job handler runs in the worker). */
    giftCards,
    idempotency: createIdempotency({ db, clock: deps.clock }) as Idempotency,
    stripeWebhooks,
    /** Ends provider-renewed subscriptions (erasure hands this in through the composition root). */
    providerSubscriptions: createProviderSubscriptions({ db, gateways }),
    /** The effective plan and its limits, for the composition root to hand to other modules. */
    planLimits: createPlanLimits({ db, clock: deps.clock }),
  };
}
export type BillingModule = ReturnType<typeof createBillingModule>;

export async function billingRoutes(app: FastifyInstance, billing: BillingModule): Promise<void> {
  await creditsRoutes(app, billing.credits);
  await offersRoutes(app, billing.offers);
  await paymentsRoutes(app, billing.payments, billing.idempotency);
  await promotionsRoutes(app, billing.promotions, billing.idempotency);
  await zarinpalRoutes(app, billing.zarinpal);
  await adminBillingRoutes(app, billing.admin);
  await refundsRoutes(app, billing.refunds);
  await adminOffersRoutes(app, billing.adminOffers);
  if (billing.stripeWebhooks) await stripeWebhookRoutes(app, billing.stripeWebhooks);
  await adminGiftCardsRoutes(app, billing.adminGiftCards);
}
