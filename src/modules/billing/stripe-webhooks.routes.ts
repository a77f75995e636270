/** POST /billing/webhooks/stripe: registered only when Stripe is configured. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StripeWebhooks } from './stripe-webhooks.service.ts';

const ZWebhookAck = z.object({ received: z.literal(true), outcome: z.enum(['processed', 'ignored', 'duplicate']) });

export async function stripeWebhookRoutes(app: FastifyInstance, webhooks: StripeWebhooks): Promise<void> {
  // Its own scope: the signature covers the exact bytes Stripe sent, so this route takes the body
  // unparsed, and no other route is affected.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/billing/webhooks/stripe',
      {
        schema: {
          tags: ['billing'],
          summary: 'Stripe webhook endpoint (verified with Stripe-Signature; a repeated event id changes nothing)',
          response: { 200: ZWebhookAck },
        },
      },
      async (request) => {
        const signature = request.headers['stripe-signature'];
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        return webhooks.receive(raw, typeof signature === 'string' ? signature : undefined);
      },
    );
  });
}
