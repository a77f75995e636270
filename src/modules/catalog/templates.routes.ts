/** Public: /templates, /categories, /templates/{id}/metrics, /styles. Admin: their CRUD, audited. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/http/auth.ts';
import { ZNoContent } from '../../platform/http/schemas.ts';
import type { StylesService } from './styles.service.ts';
import * as dto from './templates.dto.ts';
import type { TemplatesService } from './templates.service.ts';
import { requestMeta } from '../../platform/http/request-meta.ts';

const admin = { auth: 'admin' } as const;
const ZIdParams = z.object({ id: z.uuid() });
const list = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });

export async function templatesRoutes(app: FastifyInstance, templates: TemplatesService, styles: StylesService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['catalog'];

  r.get('/templates', { schema: { tags, summary: 'Active ad templates', querystring: dto.ZTemplateListQuery, response: { 200: list(dto.ZTemplate) } } }, async (request) =>
    templates.list(request.query),
  );
  r.get('/templates/:id', { schema: { tags, summary: 'One template', params: ZIdParams, response: { 200: dto.ZTemplate } } }, async (request) => templates.get(request.params.id));
  r.get('/templates/:id/metrics', { schema: { tags, summary: 'Recorded performance of a template', params: ZIdParams, response: { 200: list(dto.ZMetric) } } }, async (request) =>
    templates.metrics(request.params.id),
  );
  r.get('/categories', { schema: { tags, summary: 'Template categories', response: { 200: list(dto.ZCategory) } } }, async () => templates.categories());
  r.get('/styles', { schema: { tags, summary: 'Active styles, backgrounds and scenes', querystring: dto.ZStyleListQuery, response: { 200: list(dto.ZStyle) } } }, async (request) =>
    styles.list(request.query),
  );

  const atags = ['admin'];
  r.get('/admin/templates', { config: admin, schema: { tags: atags, summary: 'All templates, inactive too', querystring: dto.ZTemplateListQuery, response: { 200: list(dto.ZTemplate) } } }, async (request) =>
    templates.list(request.query, { includeInactive: true }),
  );
  r.post('/admin/templates', { config: admin, schema: { tags: atags, summary: 'Create a template', body: dto.ZCreateTemplateBody, response: { 201: dto.ZTemplate } } }, async (request, reply) =>
    reply.code(201).send(await templates.createTemplate(principalOf(request), request.body, requestMeta(request))),
  );
  r.patch('/admin/templates/:id', { config: admin, schema: { tags: atags, summary: 'Change a template', params: ZIdParams, body: dto.ZPatchTemplateBody, response: { 200: dto.ZTemplate } } }, async (request) =>
    templates.updateTemplate(principalOf(request), request.params.id, request.body, requestMeta(request)),
  );
  r.delete('/admin/templates/:id', { config: admin, schema: { tags: atags, summary: 'Delete a template', params: ZIdParams, response: { 204: ZNoContent } } }, async (request, reply) => {
    await templates.deleteTemplate(principalOf(request), request.params.id, requestMeta(request));
    return reply.code(204).send(null);
  });
  r.get('/admin/templates/:id/metrics', { config: admin, schema: { tags: atags, summary: 'Recorded performance of a template, inactive too', params: ZIdParams, response: { 200: list(dto.ZMetric) } } }, async (request) =>
    templates.metrics(request.params.id, { includeInactive: true }),
  );
  r.post('/admin/templates/:id/metrics', { config: admin, schema: { tags: atags, summary: 'Record template performance', params: ZIdParams, body: dto.ZCreateMetricBody, response: { 201: dto.ZMetric } } }, async (request, reply) =>
    reply.code(201).send(await templates.addMetric(principalOf(request), request.params.id, request.body, requestMeta(request))),
  );
  r.patch(
    '/admin/templates/:id/metrics/:metric_id',
    { config: admin, schema: { tags: atags, summary: 'Correct a recorded measurement of a template', params: dto.ZMetricParams, body: dto.ZPatchMetricBody, response: { 200: dto.ZMetric } } },
    async (request) => templates.updateMetric(principalOf(request), request.params.id, request.params.metric_id, request.body, requestMeta(request)),
  );

  r.get('/admin/categories', { config: admin, schema: { tags: atags, summary: 'All categories', response: { 200: list(dto.ZCategory) } } }, async () => templates.categories());
  r.post('/admin/categories', { config: admin, schema: { tags: atags, summary: 'Create a category', body: dto.ZCreateCategoryBody, response: { 201: dto.ZCategory } } }, async (request, reply) =>
    reply.code(201).send(await templates.createCategory(principalOf(request), request.body, requestMeta(request))),
  );
  r.patch('/admin/categories/:id', { config: admin, schema: { tags: atags, summary: 'Change a category', params: ZIdParams, body: dto.ZPatchCategoryBody, response: { 200: dto.ZCategory } } }, async (request) =>
    templates.updateCategory(principalOf(request), request.params.id, request.body, requestMeta(request)),
  );
  r.delete('/admin/categories/:id', { config: admin, schema: { tags: atags, summary: 'Delete a category', params: ZIdParams, response: { 204: ZNoContent } } }, async (request, reply) => {
    await templates.deleteCategory(principalOf(request), request.params.id, requestMeta(request));
    return reply.code(204).send(null);
  });

  r.get('/admin/styles', { config: admin, schema: { tags: atags, summary: 'All styles, inactive too', querystring: dto.ZStyleListQuery, response: { 200: list(dto.ZStyle) } } }, async (request) =>
    styles.list({ ...request.query, includeInactive: true }),
  );
  r.post('/admin/styles', { config: admin, schema: { tags: atags, summary: 'Create a style', body: dto.ZCreateStyleBody, response: { 201: dto.ZStyle } } }, async (request, reply) =>
    reply.code(201).send(await styles.create(principalOf(request), request.body, requestMeta(request))),
  );
  r.patch('/admin/styles/:id', { config: admin, schema: { tags: atags, summary: 'Change a style', params: ZIdParams, body: dto.ZPatchStyleBody, response: { 200: dto.ZStyle } } }, async (request) =>
    styles.update(principalOf(request), request.params.id, request.body, requestMeta(request)),
  );
  r.delete('/admin/styles/:id', { config: admin, schema: { tags: atags, summary: 'Delete a style', params: ZIdParams, response: { 204: ZNoContent } } }, async (request, reply) => {
    await styles.remove(principalOf(request), request.params.id, requestMeta(request));
    return reply.code(204).send(null);
  });
}
