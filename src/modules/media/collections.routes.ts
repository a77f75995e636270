/** /collections (albums) for their owner, and the public vendor pages that show public albums. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../platform/http/auth.ts';
import { ZListQuery, ZPage } from '../../platform/http/pagination.ts';
import { ZNoContent } from '../../platform/http/schemas.ts';
import type { CollectionsService } from './collections.service.ts';
import * as dto from './media.dto.ts';

const user = { auth: 'user' } as const;

export async function collectionsRoutes(app: FastifyInstance, collections: CollectionsService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['collections'];

  r.get('/collections', { config: user, schema: { tags, summary: 'The signed-in user’s collections', querystring: ZListQuery, response: { 200: ZPage(dto.ZCollection) } } }, async (request) =>
    collections.list(principalOf(request).userId, request.query),
  );

  r.post('/collections', { config: user, schema: { tags, summary: 'Create a collection', body: dto.ZCreateCollectionBody, response: { 201: dto.ZCollection } } }, async (request, reply) =>
    reply.code(201).send(await collections.create(principalOf(request).userId, request.body)),
  );

  r.get('/collections/:id', { config: user, schema: { tags, summary: 'One collection', params: dto.ZIdParams, response: { 200: dto.ZCollection } } }, async (request) =>
    collections.get(principalOf(request).userId, request.params.id),
  );

  r.patch(
    '/collections/:id',
    { config: user, schema: { tags, summary: 'Rename, describe or publish a collection', params: dto.ZIdParams, body: dto.ZPatchCollectionBody, response: { 200: dto.ZCollection } } },
    async (request) => collections.update(principalOf(request).userId, request.params.id, request.body),
  );

  r.delete('/collections/:id', { config: user, schema: { tags, summary: 'Delete a collection (its assets stay)', params: dto.ZIdParams, response: { 204: ZNoContent } } }, async (request, reply) => {
    await collections.remove(principalOf(request).userId, request.params.id);
    return reply.code(204).send(null);
  });

  r.post(
    '/collections/:id/items',
    {
      config: user,
      schema: {
        tags,
        summary: 'Add one of your assets (asset_id) or up to 100 (asset_ids, all or nothing) to the end of a collection',
        params: dto.ZIdParams,
        body: dto.ZAddItemBody,
        response: { 201: dto.ZAddItemResponse },
      },
    },
    async (request, reply) => reply.code(201).send(await collections.addItems(principalOf(request).userId, request.params.id, request.body)),
  );

  r.delete(
    '/collections/:id/items/:asset_id',
    { config: user, schema: { tags, summary: 'Take an asset out of a collection', params: dto.ZItemParams, response: { 204: ZNoContent } } },
    async (request, reply) => {
      await collections.removeItem(principalOf(request).userId, request.params.id, request.params.asset_id);
      return reply.code(204).send(null);
    },
  );

  const pub = ['public'];
  r.get('/public/vendors/:slug', { schema: { tags: pub, summary: 'A vendor’s public page', params: dto.ZSlugParams, response: { 200: dto.ZVendorPage } } }, async (request) =>
    collections.vendorPage(request.params.slug),
  );
  r.get(
    '/public/vendors/:slug/albums',
    { schema: { tags: pub, summary: 'A vendor’s public albums', params: dto.ZSlugParams, querystring: ZListQuery, response: { 200: ZPage(dto.ZCollection) } } },
    async (request) => collections.vendorAlbums(request.params.slug, request.query),
  );
  r.get('/public/collections/:id', { schema: { tags: pub, summary: 'A public album with its images', params: dto.ZIdParams, response: { 200: dto.ZPublicCollection } } }, async (request) =>
    collections.publicCollection(request.params.id),
  );
}
