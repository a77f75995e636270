/** POST /admin/payments/{id}/refund (role admin). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../platform/http/auth.ts';
import { requestMeta } from '../../platform/http/request-meta.ts';
import * as dto from './refunds.dto.ts';
import type { RefundsService } from './refunds.service.ts';

export async function refundsRoutes(app: FastifyInstance, service: RefundsService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/admin/payments/:id/refund',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Refund a completed payment, in full or in part; the unspent credits it granted are taken back (Stripe: at Stripe; manual, ZarinPal: recorded)',
        params: dto.ZRefundParams,
        body: dto.ZRefundBody,
        response: { 200: dto.ZRefundResult },
      },
    },
    async (request) => service.refundByAdmin(principalOf(request), request.params.id, request.body, requestMeta(request)),
  );
}
