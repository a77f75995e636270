/** /billing/coupons/* and /billing/gift-cards/redeem. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../platform/http/auth.ts';
import { idempotencyKeyOf, sendIdempotent, ZIdempotencyHeaders, type Idempotency } from '../../platform/http/idempotency.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import * as dto from './promotions.dto.ts';
import type { PromotionsService } from './promotions.service.ts';

const user = { auth: 'user' } as const;
// Coupon codes are words people can guess ("SUMMER20"): trying them is limited per client.
const tryCodes = rateLimit({ max: 20, timeWindow: '1 minute' });
const redeemCodes = rateLimit({ max: 10, timeWindow: '1 minute' });

export async function promotionsRoutes(app: FastifyInstance, promotions: PromotionsService, idempotency: Idempotency): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['billing'];

  r.post(
    '/billing/coupons/validate',
    { config: { ...user, ...tryCodes }, schema: { tags, summary: 'What a coupon would give on a package or plan', body: dto.ZCouponValidateBody, response: { 200: dto.ZCouponValidation } } },
    async (request) => promotions.validate(principalOf(request).userId, request.body),
  );

  r.post(
    '/billing/coupons/redeem',
    { config: { ...user, ...redeemCodes, requestHeaders: ZIdempotencyHeaders }, schema: { tags, summary: 'Redeem a credits coupon (accepts Idempotency-Key)', body: dto.ZRedeemBody, response: { 200: dto.ZRedeemResult } } },
    async (request, reply) => {
      const userId = principalOf(request).userId;
      const result = await idempotency.run(
        { scope: `user:${userId}`, key: idempotencyKeyOf(request), route: 'POST /api/v1/billing/coupons/redeem', body: request.body },
        async (tx) => ({ status: 200, body: await promotions.redeemCoupon(tx, userId, request.body.code) }),
      );
      return sendIdempotent(reply, result);
    },
  );

  r.post(
    '/billing/gift-cards/redeem',
    { config: { ...user, ...redeemCodes, requestHeaders: ZIdempotencyHeaders }, schema: { tags, summary: 'Redeem a gift card (accepts Idempotency-Key)', body: dto.ZRedeemBody, response: { 200: dto.ZRedeemResult } } },
    async (request, reply) => {
      const userId = principalOf(request).userId;
      const result = await idempotency.run(
        { scope: `user:${userId}`, key: idempotencyKeyOf(request), route: 'POST /api/v1/billing/gift-cards/redeem', body: request.body },
        async (tx) => ({ status: 200, body: await promotions.redeemGiftCard(tx, userId, request.body.code) }),
      );
      return sendIdempotent(reply, result);
    },
  );
}
