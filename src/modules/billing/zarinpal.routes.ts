/** GET /billing/zarinpal/callback: where ZarinPal sends the buyer's browser back (no credentials). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ZNoContent } from '../../platform/http/schemas.ts';
import { ZZarinpalCallbackQuery } from './zarinpal.dto.ts';
import type { ZarinpalService } from './zarinpal.service.ts';

export async function zarinpalRoutes(app: FastifyInstance, zarinpal: ZarinpalService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/billing/zarinpal/callback',
    {
      // It completes the payment (credits or a plan): answered once every account view has heard.
      config: { writes: true },
      schema: {
        tags: ['billing'],
        summary: 'ZarinPal returns the buyer here; the payment is verified with ZarinPal, then 302 to its return url with payment and status',
        querystring: ZZarinpalCallbackQuery,
        response: { 302: ZNoContent.describe('To the payment\'s return url, with `payment` and `status` in its query') },
      },
    },
    async (request, reply) => reply.redirect(await zarinpal.callback(request.query), 302),
  );
}
