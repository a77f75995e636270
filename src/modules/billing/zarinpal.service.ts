/**
 * ZarinPal's callback: the buyer's browser comes back from ZarinPal with `Authority` and `Status`.
 * Nothing in that query string is trusted: the authority only names our payment, and either
 * `Status` leads to a server-side verify with the amount from our own row (NOK only names how an
 * unpaid payment ends: cancelled rather than failed). Any number of callbacks, in parallel or
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
import { appReturnUrl, sendPaymentReceipt } from './payments.service.ts';
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
  /**
   * Settles a pending payment from a verify; a settled one is left as it is (no second verify).
   * `Status=NOK` is verified too: a NOK that races the buyer's OK (a second tab, a replayed link)
   * must not cancel a payment ZarinPal took. NOK only names the ending when ZarinPal says unpaid.
   */
  async function settle(gateway: ZarinpalGateway, payment: q.PaymentRow, status: TZarinpalCallbackQuery['Status']): Promise<q.PaymentRow> {
    // Outside any transaction: a network call must not hold the (embedded: only) connection.
    const outcome = await gateway.verify(payment.providerPaymentId!, payment.amountMinor, payment.currency);
    if (!outcome.paid) {
      const [ending, reason] =
        status === 'NOK'
          ? (['cancelled', 'The buyer left ZarinPal without paying (Status=NOK).'] as const)
          : (['failed', `ZarinPal verify answered ${outcome.code}${outcome.message ? `: ${outcome.message}` : ''}`] as const);
      const ended = await deps.db.transaction((tx) => deps.fulfilment.fail(tx, payment.id, ending, reason));
      return ended ?? (await q.findPayment(deps.db, payment.id))!;
    }
    const done = await deps.db.transaction((tx) => deps.fulfilment.complete(tx, payment.id, { providerReference: outcome.refId, gatewayCardPan: outcome.cardPan }));
    if (done.applied) await sendPaymentReceipt(deps, done.payment);
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
