/** /admin/gift-cards (role admin). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../platform/http/auth.ts';
import { ZPage } from '../../platform/http/pagination.ts';
import { ZNoContent } from '../../platform/http/schemas.ts';
import { ZIdParams } from './admin-billing.dto.ts';
import * as dto from './admin-gift-cards.dto.ts';
import type { AdminGiftCardsService } from './admin-gift-cards.service.ts';
import { requestMeta } from '../../platform/http/request-meta.ts';

const admin = { auth: 'admin' } as const;
export async function adminGiftCardsRoutes(app: FastifyInstance, service: AdminGiftCardsService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['admin'];

  r.get(
    '/admin/gift-cards',
    { config: admin, schema: { tags, summary: 'Gift cards, newest first', querystring: dto.ZGiftCardListQuery, response: { 200: ZPage(dto.ZAdminGiftCard) } } },
    async (request) => service.list(request.query),
  );
  r.post(
    '/admin/gift-cards',
    { config: admin, schema: { tags, summary: 'Issue a promotional gift card (its code is in this response only)', body: dto.ZCreateGiftCardBody, response: { 201: dto.ZIssuedGiftCard } } },
    async (request, reply) => reply.code(201).send(await service.issue(principalOf(request), request.body, requestMeta(request))),
  );
  r.get(
    '/admin/gift-cards/:id',
    { config: admin, schema: { tags, summary: 'A gift card', params: ZIdParams, response: { 200: dto.ZAdminGiftCard } } },
    async (request) => service.get(request.params.id),
  );
  r.patch(
    '/admin/gift-cards/:id',
    { config: admin, schema: { tags, summary: 'Switch an unredeemed gift card off or on, or move its expiry', params: ZIdParams, body: dto.ZPatchGiftCardBody, response: { 200: dto.ZAdminGiftCard } } },
    async (request) => service.patch(principalOf(request), request.params.id, request.body, requestMeta(request)),
  );
  r.delete(
    '/admin/gift-cards/:id',
    { config: admin, schema: { tags, summary: 'Delete an unredeemed gift card', params: ZIdParams, response: { 204: ZNoContent } } },
    async (request, reply) => {
      await service.remove(principalOf(request), request.params.id, requestMeta(request));
      return reply.code(204).send(null);
    },
  );
}
