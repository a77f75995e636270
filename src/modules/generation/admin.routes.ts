/** /admin/generations, /admin/generation-prices, /admin/api-costs (role admin; writes audit-logged). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/http/auth.ts';
import { ZPage } from '../../platform/http/pagination.ts';
import * as dto from './admin.dto.ts';
import type { GenerationAdminService } from './admin.service.ts';
import { requestMeta } from '../../platform/http/request-meta.ts';

const admin = { auth: 'admin' } as const;
export async function generationAdminRoutes(app: FastifyInstance, service: GenerationAdminService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['admin'];

  r.get(
    '/admin/generations',
    { config: admin, schema: { tags, summary: 'All generations, newest first', querystring: dto.ZAdminGenerationQuery, response: { 200: ZPage(dto.ZAdminGeneration) } } },
    async (request) => service.listGenerations(request.query),
  );
  r.post(
    '/admin/generations/:id/retry',
    { config: admin, schema: { tags, summary: 'Run a failed generation again (a new hold of the same credits)', params: dto.ZIdParams, response: { 202: dto.ZAdminGeneration } } },
    async (request, reply) => reply.code(202).send(await service.retry(principalOf(request), request.params.id, requestMeta(request))),
  );

  r.get('/admin/generation-prices', { config: admin, schema: { tags, summary: 'Prices per generation type', response: { 200: z.object({ data: z.array(dto.ZPrice) }) } } }, async () =>
    service.listPrices(),
  );
  r.post(
    '/admin/generation-prices',
    { config: admin, schema: { tags, summary: 'Price a type', body: dto.ZCreatePriceBody, response: { 201: dto.ZPrice } } },
    async (request, reply) => reply.code(201).send(await service.createPrice(principalOf(request), request.body, requestMeta(request))),
  );
  r.patch(
    '/admin/generation-prices/:id',
    { config: admin, schema: { tags, summary: 'Change a price', params: dto.ZIdParams, body: dto.ZPatchPriceBody, response: { 200: dto.ZPrice } } },
    async (request) => service.patchPrice(principalOf(request), request.params.id, request.body, requestMeta(request)),
  );
  r.delete(
    '/admin/generation-prices/:id',
    { config: admin, schema: { tags, summary: 'Remove a price (the type is no longer offered)', params: dto.ZIdParams, response: { 200: dto.ZPrice } } },
    async (request) => service.deletePrice(principalOf(request), request.params.id, requestMeta(request)),
  );

  r.get('/admin/api-costs', { config: admin, schema: { tags, summary: 'Provider costs by date', response: { 200: z.object({ data: z.array(dto.ZApiCost) }) } } }, async () =>
    service.listApiCosts(),
  );
  r.post(
    '/admin/api-costs',
    { config: admin, schema: { tags, summary: 'Record a provider cost from a date', body: dto.ZCreateApiCostBody, response: { 201: dto.ZApiCost } } },
    async (request, reply) => reply.code(201).send(await service.createApiCost(principalOf(request), request.body, requestMeta(request))),
  );
  r.patch(
    '/admin/api-costs/:id',
    { config: admin, schema: { tags, summary: 'Change a provider cost', params: dto.ZIdParams, body: dto.ZPatchApiCostBody, response: { 200: dto.ZApiCost } } },
    async (request) => service.patchApiCost(principalOf(request), request.params.id, request.body, requestMeta(request)),
  );
  r.delete(
    '/admin/api-costs/:id',
    { config: admin, schema: { tags, summary: 'Remove a provider cost', params: dto.ZIdParams, response: { 200: dto.ZApiCost } } },
    async (request) => service.deleteApiCost(principalOf(request), request.params.id, requestMeta(request)),
  );
}
