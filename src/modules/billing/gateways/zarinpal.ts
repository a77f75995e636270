/**
 * The ZarinPal gateway (REST API v4, https://www.zarinpal.com/docs/paymentGateway/):
 *   POST {apiBase}/pg/v4/payment/request.json  { merchant_id, amount, currency, description,
 *        callback_url, metadata: { email, mobile, order_id } }  → data.authority
 *   the buyer pays at {apiBase}/pg/StartPay/{authority}, and ZarinPal sends the browser back to
 *        callback_url?Authority=…&Status=OK|NOK
 *   POST {apiBase}/pg/v4/payment/verify.json   { merchant_id, amount, authority }
 *        → data.code 100 (verified now) or 101 (verified before), with ref_id and card_pan.
 * Every answer is `{ data, errors }`: on success `data` is an object and `errors` an empty array;
 * on a refusal `data` is an empty array and `errors` is `{ code, message, validations }` (-9
 * validation, -10 bad merchant or IP, -12 too many attempts, -50 amount differs, -51 not paid,
 * -53 another merchant's, -54 invalid authority, …). The body is read whatever the HTTP status.
 *
 * A payment ZarinPal took but nobody verified is returned to the payer by ZarinPal, so money is
 * only kept once our verify succeeds — which is why the callback never trusts `Status=OK` alone.
 */
import { z } from 'zod';
import { errors } from '../../../platform/http/errors.ts';
import type { CheckoutRequest, CheckoutSession, PaymentGateway } from './gateway.ts';

const DEFAULT_TIMEOUT_MS = 10_000;
/** ZarinPal's documented smallest payment: 10,000 rials (its SDK docs, "amount"). */
export const ZARINPAL_MIN_RIALS = 10_000;
/** ZarinPal refuses descriptions longer than this (error -9). */
const MAX_DESCRIPTION = 500;

/**
 * Our IRR amounts carry ISO 4217's two minor digits (decision 008); ZarinPal takes whole rials
 * (`currency: IRR`). A fraction of a rial cannot be charged, so such an amount is refused rather
 * than rounded: the books must say exactly what the buyer paid.
 */
export function rialsFromMinor(amountMinor: number, currency: string): number {
  const refuse = (message: string) => errors.validation([{ path: 'provider', message }], message);
  if (currency !== 'IRR') throw refuse(`ZarinPal takes payments in IRR only; this item is priced in ${currency}.`);
  if (!Number.isSafeInteger(amountMinor) || amountMinor % 100 !== 0) throw refuse('ZarinPal takes whole rials; this price has a fraction of a rial.');
  const rials = amountMinor / 100;
  if (rials < ZARINPAL_MIN_RIALS) throw refuse(`ZarinPal takes payments of at least ${ZARINPAL_MIN_RIALS} rials.`);
  return rials;
}

/** E.164 → the national form ZarinPal's examples use (+989121234567 → 09121234567); others are left out. */
export function zarinpalMobile(e164: string | null | undefined): string | undefined {
  const national = e164 ? /^\+98(9\d{9})$/.exec(e164)?.[1] : undefined;
  return national === undefined ? undefined : `0${national}`;
}

const ZRefusal = z.object({ code: z.coerce.number().int(), message: z.string().catch('') });
const ZAnswer = z.object({
  // An object when it worked, an empty array when it did not.
  data: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  errors: z.union([ZRefusal, z.array(z.unknown()), z.null()]).optional(),
});
const ZRequestData = z.object({ code: z.coerce.number().int(), authority: z.string().min(1).max(100) });
const ZVerifyData = z.object({
  code: z.coerce.number().int(),
  ref_id: z.union([z.number(), z.string()]).nullish(),
  card_pan: z.string().nullish(),
});

export type VerifyOutcome =
  | { paid: true; code: 100 | 101; refId: string | undefined; cardPan: string | undefined }
  | { paid: false; code: number; message: string };

export interface ZarinpalOptions {
  merchantId: string;
  apiBase: string;
  /** This server's `GET /api/v1/billing/zarinpal/callback`, absolute. */
  callbackUrl: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type ZarinpalGateway = PaymentGateway & {
  /** Asks ZarinPal whether the payment behind `authority` was paid, for `amountMinor` from our own records. */
  verify(authority: string, amountMinor: number, currency: string): Promise<VerifyOutcome>;
};

export function createZarinpalGateway(opts: ZarinpalOptions): ZarinpalGateway {
  const doFetch = opts.fetch ?? fetch;
  const base = opts.apiBase.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  /** The parsed `{ data, errors }` answer; throws 502 when ZarinPal cannot be reached or read. */
  async function post(path: string, body: Record<string, unknown>): Promise<z.infer<typeof ZAnswer>> {
    let status: number;
    let json: unknown;
    try {
      const res = await doFetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      json = await res.json().catch(() => undefined);
    } catch {
      throw errors.paymentProvider('ZarinPal could not be reached; try again in a moment.');
    }
    const answer = ZAnswer.safeParse(json);
    if (!answer.success || (answer.data.data === undefined && answer.data.errors === undefined)) {
      throw errors.paymentProvider(`ZarinPal answered HTTP ${status} with a body we could not read.`);
    }
    return answer.data;
  }

  const refusal = (a: z.infer<typeof ZAnswer>) => (a.errors && !Array.isArray(a.errors) ? a.errors : undefined);

  async function startCheckout(request: CheckoutRequest): Promise<CheckoutSession> {
    const { payment, item } = request;
    const amount = rialsFromMinor(payment.amountMinor, payment.currency);
    const answer = await post('/pg/v4/payment/request.json', {
      merchant_id: opts.merchantId,
      amount,
      currency: 'IRR',
      description: item.name.slice(0, MAX_DESCRIPTION),
      callback_url: opts.callbackUrl,
      metadata: { email: request.customerEmail ?? undefined, mobile: zarinpalMobile(request.customerPhone), order_id: payment.id },
    });
    const data = ZRequestData.safeParse(answer.data);
    if (!data.success || data.data.code !== 100) {
      const r = refusal(answer);
      throw errors.paymentProvider(r ? `ZarinPal refused the payment request (${r.code}: ${r.message}).` : 'ZarinPal answered the payment request without an authority.');
    }
    const authority = data.data.authority;
    return { providerPaymentId: authority, redirectUrl: `${base}/pg/StartPay/${encodeURIComponent(authority)}`, callbackUrl: opts.callbackUrl };
  }

  async function verify(authority: string, amountMinor: number, currency: string): Promise<VerifyOutcome> {
    const answer = await post('/pg/v4/payment/verify.json', { merchant_id: opts.merchantId, amount: rialsFromMinor(amountMinor, currency), authority });
    const data = ZVerifyData.safeParse(answer.data);
    if (data.success && (data.data.code === 100 || data.data.code === 101)) {
      const { code, ref_id, card_pan } = data.data;
      return { paid: true, code, refId: ref_id == null ? undefined : String(ref_id), cardPan: card_pan ?? undefined };
    }
    const r = refusal(answer) ?? (data.success ? { code: data.data.code, message: '' } : undefined);
    if (!r) throw errors.paymentProvider('ZarinPal answered the verification without a result code.');
    // "Too many attempts" says nothing about the payment: leave it pending for a later try.
    if (r.code === -12) throw errors.paymentProvider('ZarinPal asks to try the verification again later.');
    return { paid: false, code: r.code, message: r.message };
  }

  return { provider: 'zarinpal', startCheckout, verify };
}
