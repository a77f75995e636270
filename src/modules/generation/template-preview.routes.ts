/**
 * GET /templates/{id}/preview.png (public, like the template list): a template with no preview of
 * its own is shown by this picture, drawn by the local ad renderer from its layout
 * (providers/local/template-preview.ts). Drawing takes a fraction of a second, so each picture is
 * kept in memory by a hash of what it is drawn from (name, size, layout): an admin's edit gives a
 * new hash and a new picture, and the hash is the ETag a browser revalidates with.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CatalogLookup } from '../catalog/index.ts';
import { errors } from '../../platform/http/errors.ts';
import { bytesResponse, ZNoContent } from '../../platform/http/schemas.ts';
import { renderTemplatePreview } from './providers/local/template-preview.ts';

/** Pictures kept; the ad-creatives preset has 14 templates, an admin may add many more. */
const KEPT = 256;

export async function templatePreviewRoutes(app: FastifyInstance, catalog: Pick<CatalogLookup, 'template'>): Promise<void> {
  const kept = new Map<string, Promise<Buffer>>();
  app.withTypeProvider<ZodTypeProvider>().get(
    '/templates/:id/preview.png',
    {
      schema: {
        tags: ['catalog'],
        summary: "A template's preview, drawn from its layout with sample copy (the `preview_url` of a template without its own)",
        params: z.object({ id: z.uuid() }),
        response: { 200: bytesResponse('The preview, PNG', ['image/png']), 304: ZNoContent.describe('Unchanged since the ETag sent') },
      },
    },
    async (request, reply) => {
      const template = await catalog.template(request.params.id);
      if (!template) throw errors.notFound('Template');
      const tag = `"${createHash('sha256').update(JSON.stringify([template.name, template.width, template.height, template.layout])).digest('base64url').slice(0, 27)}"`;
      reply.header('etag', tag).header('cache-control', 'public, max-age=3600');
      if (request.headers['if-none-match'] === tag) return reply.code(304).send(null);
      let picture = kept.get(tag);
      if (!picture) {
        picture = renderTemplatePreview(template);
        kept.set(tag, picture);
        picture.catch(() => kept.delete(tag));
        if (kept.size > KEPT) kept.delete(kept.keys().next().value!);
      }
      return reply.type('image/png').send(await picture);
    },
  );
}
