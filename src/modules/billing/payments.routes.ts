/** /billing/checkout, /billing/payments, the manual provider's completion and /billing/subscription. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../platform/http/auth.ts';
import { idempotencyKeyOf, sendIdempotent, ZIdempotencyHeaders, type Idempotency } from '../../platform/http/idempotency.ts';
import { ZListQuery, ZPage } from '../../platform/http/pagination.ts';
import * as dto from './payments.dto.ts';
import type { PaymentsService } from './payments.service.ts';
import { requestMeta } from '../../platform/http/request-meta.ts';

const user = { auth: 'user' } as const;
export async function paymentsRoutes(app: FastifyInstance, payments: PaymentsService, idempotency: Idempotency): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['billing'];

  r.post(
    '/billing/checkout',
    {
      config: { ...user, requestHeaders: ZIdempotencyHeaders },
      schema: { tags, summary: 'Start paying for a package or plan (accepts Idempotency-Key)', body: dto.ZCheckoutBody, response: { 201: dto.ZCheckoutResult } },
    },
    async (request, reply) => {
      const userId = principalOf(request).userId;
      // The provider is called between transactions, so the key is claimed in one of its own.
      const result = await idempotency.runAcross(
        { scope: `user:${userId}`, key: idempotencyKeyOf(request), route: 'POST /api/v1/billing/checkout', body: request.body },
        async () => ({ status: 201, body: await payments.checkout(userId, request.body) }),
      );
      return sendIdempotent(reply, result);
    },
  );

  r.get(
    '/billing/payments',
    { config: user, schema: { tags, summary: 'Your payments, newest first', querystring: ZListQuery, response: { 200: ZPage(dto.ZPayment) } } },
    async (request) => payments.list(principalOf(request).userId, request.query),
  );

  r.get(
    '/billing/payments/:payment_id',
    { config: user, schema: { tags, summary: 'One of your payments', params: dto.ZPaymentIdParams, response: { 200: dto.ZPayment } } },
    async (request) => payments.get(principalOf(request).userId, request.params.payment_id),
  );

  r.post(
    '/billing/manual/:payment_id/complete',
    {
      config: user,
      schema: { tags, summary: 'Complete a manual payment as a gateway would (ATELIER_PAYMENTS_MANUAL=on; owner or admin)', params: dto.ZPaymentIdParams, response: { 200: dto.ZPayment } },
    },
    async (request) => payments.completeManual(principalOf(request), request.params.payment_id, requestMeta(request)),
  );

  r.get(
    '/billing/subscription',
    { config: user, schema: { tags, summary: 'Your current subscription, or null', response: { 200: dto.ZSubscriptionResult } } },
    async (request) => payments.subscription(principalOf(request).userId),
  );

  r.post(
    '/billing/subscription/cancel',
    { config: user, schema: { tags, summary: 'Cancel at the end of the current period', response: { 200: dto.ZSubscriptionResult } } },
    async (request) => payments.cancelSubscription(principalOf(request).userId),
  );
}
