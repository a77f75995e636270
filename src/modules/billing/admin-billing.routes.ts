/** /admin/users/{id}/credits and /admin/coupons (role admin). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/http/auth.ts';
import * as dto from './admin-billing.dto.ts';
import type { AdminBillingService } from './admin-billing.service.ts';
import { requestMeta } from '../../platform/http/request-meta.ts';

const admin = { auth: 'admin' } as const;
export async function adminBillingRoutes(app: FastifyInstance, service: AdminBillingService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['admin'];

  r.post(
    '/admin/users/:id/credits',
    {
      config: admin,
      schema: { tags, summary: 'Add (positive) or take (negative) credits: an admin_adjustment ledger row', params: dto.ZUserIdParams, body: dto.ZAdjustCreditsBody, response: { 200: dto.ZAdjustCreditsResult } },
    },
    async (request) => service.adjustCredits(principalOf(request), request.params.id, request.body, requestMeta(request)),
  );

  r.get(
    '/admin/coupons',
    { config: admin, schema: { tags, summary: 'Coupons, newest first', querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(100) }), response: { 200: z.object({ data: z.array(dto.ZCoupon) }) } } },
    async (request) => service.listCoupons(request.query.limit),
  );

  r.post(
    '/admin/coupons',
    { config: admin, schema: { tags, summary: 'Create a coupon', body: dto.ZCreateCouponBody, response: { 201: dto.ZCoupon } } },
    async (request, reply) => reply.code(201).send(await service.createCoupon(principalOf(request), request.body, requestMeta(request))),
  );

  r.patch(
    '/admin/coupons/:id',
    { config: admin, schema: { tags, summary: 'Change or deactivate a coupon', params: dto.ZIdParams, body: dto.ZPatchCouponBody, response: { 200: dto.ZCoupon } } },
    async (request) => service.patchCoupon(principalOf(request), request.params.id, request.body, requestMeta(request)),
  );
}
