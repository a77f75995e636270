/**
 * The Twilio transport (Programmable Messaging, API 2010-04-01):
 *   POST {apiBase}/2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP Basic auth (sid:token),
 *   form fields To, From, Body. Success is 201 with the Message resource (`sid`, ...); a failure is
 *   JSON `{ code, message, more_info, status }`, e.g. 400 with code 21211 for an invalid To number.
 */
import { z } from 'zod';
import { DeliveryError, isRetryableHttpStatus } from '../delivery-error.ts';
import type { SmsMessage, SmsSender } from './sms.ts';

const TIMEOUT_MS = 10_000;

const ZTwilioMessage = z.object({ sid: z.string() });
const ZTwilioError = z.object({ code: z.number().nullish(), message: z.string(), more_info: z.string().nullish(), status: z.number() });

export function createTwilioSms(opts: { accountSid: string; authToken: string; from: string; apiBase: string; fetch?: typeof fetch }): SmsSender {
  const doFetch = opts.fetch ?? fetch;
  const url = `${opts.apiBase.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(opts.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
  const fail = (message: string, retryable: boolean, cause?: unknown) =>
    new DeliveryError(message, { channel: 'sms', transport: 'twilio', retryable, cause });

  return {
    async send(m: SmsMessage) {
      // Twilio takes E.164 as is, which is what SmsMessage.to already holds.
      const form = new URLSearchParams({ To: m.to, From: opts.from, Body: m.text });

      let res: Response;
      let body: unknown;
      try {
        res = await doFetch(url, {
          method: 'POST',
          headers: { authorization, accept: 'application/json' },
          body: form,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        body = await res.json().catch(() => undefined);
      } catch (err) {
        throw fail('Twilio could not be reached.', true, err);
      }

      if (res.ok) {
        const message = ZTwilioMessage.safeParse(body);
        // The message may have been queued: not retried, to avoid sending it twice.
        if (!message.success) throw fail(`Twilio answered HTTP ${res.status} without a message sid.`, false);
        return { id: message.data.sid };
      }
      const retryable = isRetryableHttpStatus(res.status);
      const error = ZTwilioError.safeParse(body);
      if (!error.success) throw fail(`Twilio answered HTTP ${res.status} with an unexpected body.`, retryable);
      // Twilio's own text can quote the recipient's number, so only the code and its reference go in.
      const { code, more_info } = error.data;
      throw fail(`Twilio refused the message: HTTP ${res.status}, error ${code ?? 'unknown'}${more_info ? ` (${more_info})` : ''}.`, retryable);
    },
  };
}
