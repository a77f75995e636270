/**
 * The Kavenegar transport (kavenegar.com REST API, v1):
 *   POST {apiBase}/v1/{apiKey}/sms/send.json, form fields receptor, message, sender (optional).
 * Every answer is JSON `{ return: { status, message }, entries }`; `return.status` 200 means the
 * message was accepted, any other value (400, 401, 403, 411 bad receptor, 412 bad sender, 418 no
 * credit, ...) is a refusal. The body is read whatever the HTTP status, as Kavenegar's own SDKs do.
 */
import { z } from 'zod';
import { DeliveryError, isRetryableHttpStatus } from '../delivery-error.ts';
import type { SmsMessage, SmsSender } from './sms.ts';

const TIMEOUT_MS = 10_000;

const ZKavenegarAnswer = z.object({
  return: z.object({ status: z.number(), message: z.string() }),
  entries: z.array(z.object({ messageid: z.number(), status: z.number() })).nullish(),
});

/**
 * E.164 → the receptor Kavenegar documents: an Iranian mobile in national form,
 * +989121234567 → 09121234567. Other countries are refused before any request: Kavenegar's
 * international format is not one we could confirm, and guessing would bill for undelivered
 * messages. Deployments with users outside Iran use the Twilio transport.
 */
export function toKavenegarReceptor(e164: string): string | undefined {
  const national = /^\+98(9\d{9})$/.exec(e164)?.[1];
  return national === undefined ? undefined : `0${national}`;
}

export function createKavenegarSms(opts: { apiKey: string; sender?: string; apiBase: string; fetch?: typeof fetch }): SmsSender {
  const doFetch = opts.fetch ?? fetch;
  // The API key is part of the path: this URL must never reach an error message or a log line.
  const url = `${opts.apiBase.replace(/\/+$/, '')}/v1/${encodeURIComponent(opts.apiKey)}/sms/send.json`;
  const fail = (message: string, retryable: boolean, cause?: unknown) =>
    new DeliveryError(message, { channel: 'sms', transport: 'kavenegar', retryable, cause });

  return {
    async send(m: SmsMessage) {
      const receptor = toKavenegarReceptor(m.to);
      if (!receptor) throw fail('Kavenegar delivers only to Iranian mobile numbers (+989…).', false);
      const form = new URLSearchParams({ receptor, message: m.text });
      if (opts.sender) form.set('sender', opts.sender);

      let res: Response;
      let body: unknown;
      try {
        res = await doFetch(url, { method: 'POST', headers: { accept: 'application/json' }, body: form, signal: AbortSignal.timeout(TIMEOUT_MS) });
        body = await res.json().catch(() => undefined);
      } catch (err) {
        throw fail('Kavenegar could not be reached.', true, err);
      }

      const answer = ZKavenegarAnswer.safeParse(body);
      if (!answer.success) {
        // A 2xx we cannot read may still have sent the message: not retried, to avoid a duplicate.
        throw fail(`Kavenegar answered HTTP ${res.status} with an unexpected body.`, isRetryableHttpStatus(res.status));
      }
      const { status, message } = answer.data.return;
      if (status !== 200) {
        throw fail(`Kavenegar refused the message: ${status} ${message}`, isRetryableHttpStatus(status) || isRetryableHttpStatus(res.status));
      }
      const entry = answer.data.entries?.[0];
      if (!entry) throw fail('Kavenegar accepted the message but returned no message id.', false);
      return { id: String(entry.messageid) };
    },
  };
}
