/** POST /email/webhooks/sendgrid: registered only when SENDGRID_WEBHOOK_PUBLIC_KEY is set. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './sendgrid-signature.ts';
import type { SendGridEvents } from './sendgrid-events.service.ts';

const header = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);

export async function sendGridWebhookRoutes(app: FastifyInstance, events: SendGridEvents): Promise<void> {
  // Its own scope: the signature covers the exact bytes SendGrid sent, so the body stays unparsed here.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 5 * 1024 * 1024 }, (_request, body, done) => done(null, body));
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/email/webhooks/sendgrid',
      {
        config: { auth: 'none' },
        schema: {
          tags: ['email'],
          summary: 'SendGrid Event Webhook (ECDSA-signed; bad signature → 400, nothing changed): moves the email logs forward',
          response: { 200: z.object({ received: z.number().int(), applied: z.number().int() }) },
        },
      },
      async (request) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        return events.receive(raw, header(request.headers[SIGNATURE_HEADER]), header(request.headers[TIMESTAMP_HEADER]));
      },
    );
  });
}
