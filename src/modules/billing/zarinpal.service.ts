/**
 * ZarinPal's callback: the buyer's browser comes back from ZarinPal with `Authority` and `Status`.
 * Nothing in that query string is trusted: the authority only names our payment, `Status=NOK`
 * can only end a pending payment as cancelled (it grants nothing), and `Status=OK` leads to a
 * server-side verify with the amount from our own row. Any number of callbacks, in parallel or
 * replayed, end in one grant: `fulfilment.complete` decides the one winner.
 */
import type { Config } from '../../config.ts';
import type { Db } from '../../platform/db/types.ts';
import { errors } from '../../platform/http/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { EmailSender } from '../../platform/mail/email-sender.ts';
import type { Fulfilment } from './fulfilment.ts';
import type { ZarinpalGateway } from './gateways/zarinpal.ts';
import * as q from './payments.queries.ts';
import { appReturnUrl, sendGiftCardEmail } from './payments.service.ts';
import type { TZarinpalCallbackQuery } from './zarinpal.dto.ts';

export interface ZarinpalDeps {
  db: Db;
  config: Pick<Config, 'publicUrl' | 'port'>;
  fulfilment: Fulfilment;
  /** Undefined when ZarinPal is not configured: the callback route then does not exist. */
  gateway: ZarinpalGateway | undefined;
  mailer: EmailSender;
  log: Logger;
}

export function createZarinpalService(deps: ZarinpalDeps) {
  /** Settles a pending payment from a verify; a settled one is left as it is (no second verify). */
  async function settle(gateway: ZarinpalGateway, payment: q.PaymentRow, status: TZarinpalCallbackQuery['Status']): Promise<q.PaymentRow> {
    if (status === 'NOK') {
      // A browser that says NOK may lie too, but nothing is granted, and a payment ZarinPal took
      // without our verify goes back to the payer.
      const cancelled = await deps.db.transaction((tx) => deps.fulfilment.fail(tx, payment.id, 'cancelled', 'The buyer left ZarinPal without paying (Status=NOK).'));
      return cancelled ?? (await q.findPayment(deps.db, payment.id))!;
    }
    // Outside any transaction: a network call must not hold the (embedded: only) connection.
    const outcome = await gateway.verify(payment.providerPaymentId!, payment.amountMinor, payment.currency);
    if (!outcome.paid) {
      const failed = await deps.db.transaction((tx) => deps.fulfilment.fail(tx, payment.id, 'failed', `ZarinPal verify answered ${outcome.code}${outcome.message ? `: ${outcome.message}` : ''}`));
      return failed ?? (await q.findPayment(deps.db, payment.id))!;
    }
    const done = await deps.db.transaction((tx) => deps.fulfilment.complete(tx, payment.id, { providerReference: outcome.refId, gatewayCardPan: outcome.cardPan }));
    if (done.giftCard) await sendGiftCardEmail(deps, done.giftCard);
    if (done.applied) deps.log.info({ paymentId: payment.id, code: outcome.code }, 'billing: zarinpal payment verified');
    return done.payment;
  }

  /** Returns where to send the buyer: the payment's return url with `payment` and `status` added. */
  async function callback(query: TZarinpalCallbackQuery): Promise<string> {
    const gateway = deps.gateway;
    if (!gateway) throw errors.notFound('Route');
    const payment = await q.findPaymentByProviderId(deps.db, 'zarinpal', query.Authority);
    if (!payment) throw errors.notFound('Payment');
    const settled = payment.status === 'pending' ? await settle(gateway, payment, query.Status) : payment;
    const url = new URL(settled.returnUrl ?? appReturnUrl(deps.config, settled.id));
    url.searchParams.set('payment', settled.id);
    url.searchParams.set('status', settled.status);
    return url.toString();
  }

  return { callback };
}

export type ZarinpalService = ReturnType<typeof createZarinpalService>;
