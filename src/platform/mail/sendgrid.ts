/**
 * The SendGrid transport (v3 Mail Send):
 *   POST {apiBase}/v3/mail/send, `Authorization: Bearer <API key>`, JSON `{ personalizations: [{ to,
 *   custom_args }], from, subject, content: [text/plain, text/html], headers }`. Success is 202 with
 *   an empty body and the message id in the `X-Message-Id` header; a failure is JSON
 *   `{ errors: [{ message, field, help }] }` (400, 401, 403, 413; 429 and 5xx are worth a retry).
 * `custom_args.email_log_id` comes back on every Event Webhook event, which is how events find their log row.
 */
import { z } from 'zod';
import { DeliveryError, isRetryableHttpStatus } from '../delivery-error.ts';
import type { MailMessage, Mailer } from './mailer.ts';

const TIMEOUT_MS = 10_000;

const ZSendGridErrors = z.object({ errors: z.array(z.object({ message: z.string().nullish(), field: z.string().nullish() })) });

/** `Name <addr@host>` or `addr@host` → SendGrid's `{ email, name? }`. */
export function parseFrom(from: string): { email: string; name?: string } {
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(from);
  if (!m) return { email: from.trim() };
  return m[1] ? { email: m[2]!.trim(), name: m[1].replace(/^"|"$/g, '') } : { email: m[2]!.trim() };
}

export function createSendGridMailer(opts: { apiKey: string; apiBase: string; from: string; fetch?: typeof fetch }): Mailer {
  const doFetch = opts.fetch ?? fetch;
  const url = `${opts.apiBase.replace(/\/+$/, '')}/v3/mail/send`;
  const from = parseFrom(opts.from);
  const fail = (message: string, retryable: boolean, cause?: unknown) => new DeliveryError(message, { channel: 'email', transport: 'sendgrid', retryable, cause });

  return {
    async send(m: MailMessage) {
      const body = {
        personalizations: [{ to: [{ email: m.to }], ...(m.logId ? { custom_args: { email_log_id: m.logId } } : {}) }],
        from,
        subject: m.subject,
        content: [{ type: 'text/plain', value: m.text }, ...(m.html ? [{ type: 'text/html', value: m.html }] : [])],
        ...(m.headers ? { headers: m.headers } : {}),
      };
      let res: Response;
      let text: string;
      try {
        res = await doFetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${opts.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        text = await res.text();
      } catch (err) {
        throw fail('SendGrid could not be reached.', true, err);
      }
      if (res.ok) {
        const id = res.headers.get('x-message-id');
        // Accepted without an id: not retried, to avoid sending it twice.
        if (!id) throw fail(`SendGrid answered HTTP ${res.status} without X-Message-Id.`, false);
        return { id };
      }
      const retryable = isRetryableHttpStatus(res.status);
      let parsed: z.infer<typeof ZSendGridErrors> | undefined;
      try {
        parsed = ZSendGridErrors.parse(JSON.parse(text));
      } catch {
        parsed = undefined;
      }
      // Field names only: SendGrid's messages can quote the address.
      const fields = parsed?.errors.map((e) => e.field).filter(Boolean).join(', ');
      throw fail(`SendGrid refused the message: HTTP ${res.status}${fields ? ` (${fields})` : ''}.`, retryable);
    },
  };
}
