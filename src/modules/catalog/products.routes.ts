/** /products: a user's own products. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/http/auth.ts';
import { ZPage } from '../../platform/http/pagination.ts';
import { ZNoContent } from '../../platform/http/schemas.ts';
import * as dto from './products.dto.ts';
import type { ProductsService } from './products.service.ts';

const user = { auth: 'user' } as const;
const ZIdParams = z.object({ id: z.uuid() });

export async function productsRoutes(app: FastifyInstance, service: ProductsService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['catalog'];

  r.get('/products', { config: user, schema: { tags, summary: 'Your products', querystring: dto.ZProductListQuery, response: { 200: ZPage(dto.ZProduct) } } }, async (request) =>
    service.list(principalOf(request).userId, request.query),
  );
  r.post('/products', { config: user, schema: { tags, summary: 'Create a product', body: dto.ZCreateProductBody, response: { 201: dto.ZProduct } } }, async (request, reply) =>
    reply.code(201).send(await service.create(principalOf(request).userId, request.body)),
  );
  r.get('/products/:id', { config: user, schema: { tags, summary: 'One product', params: ZIdParams, response: { 200: dto.ZProduct } } }, async (request) =>
    service.get(principalOf(request).userId, request.params.id),
  );
  r.patch('/products/:id', { config: user, schema: { tags, summary: 'Change a product', params: ZIdParams, body: dto.ZPatchProductBody, response: { 200: dto.ZProduct } } }, async (request) =>
    service.update(principalOf(request).userId, request.params.id, request.body),
  );
  r.delete('/products/:id', { config: user, schema: { tags, summary: 'Delete a product', params: ZIdParams, response: { 204: ZNoContent } } }, async (request, reply) => {
    await service.remove(principalOf(request).userId, request.params.id);
    return reply.code(204).send(null);
  });
}
