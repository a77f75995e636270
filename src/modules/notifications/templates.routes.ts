/** /admin/email-templates (CRUD + preview) and GET /admin/email-logs (role admin). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/http/auth.ts';
import { ZPage } from '../../platform/http/pagination.ts';
import { requestMeta } from '../../platform/http/request-meta.ts';
import { ZNoContent } from '../../platform/http/schemas.ts';
import * as dto from './notifications.dto.ts';
import type { NotificationsModule } from './notifications.module.ts';

const admin = { auth: 'admin' } as const;
const ZIdParams = z.object({ id: z.uuid() });

export async function emailTemplatesRoutes(app: FastifyInstance, m: NotificationsModule): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['admin'];
  const actor = (request: Parameters<typeof principalOf>[0]) => ({ userId: principalOf(request).userId, ...requestMeta(request) });

  r.get(
    '/admin/email-templates',
    { config: admin, schema: { tags, summary: 'Email templates (the system messages and campaign templates), newest first', querystring: dto.ZEmailTemplateQuery, response: { 200: ZPage(dto.ZEmailTemplate) } } },
    async (request) => m.templates.list(request.query),
  );
  r.post(
    '/admin/email-templates',
    {
      config: admin,
      schema: { tags, summary: 'Create a template (Liquid); a syntax error or an unknown variable is a 400; a taken key and locale a 409', body: dto.ZCreateEmailTemplateBody, response: { 201: dto.ZEmailTemplate } },
    },
    async (request, reply) => reply.code(201).send(await m.templates.create(request.body, actor(request))),
  );
  r.get('/admin/email-templates/:id', { config: admin, schema: { tags, summary: 'An email template', params: ZIdParams, response: { 200: dto.ZEmailTemplate } } }, async (request) =>
    m.templates.get(request.params.id),
  );
  r.patch(
    '/admin/email-templates/:id',
    { config: admin, schema: { tags, summary: 'Change a template; checked like a new one', params: ZIdParams, body: dto.ZPatchEmailTemplateBody, response: { 200: dto.ZEmailTemplate } } },
    async (request) => m.templates.update(request.params.id, request.body, actor(request)),
  );
  r.delete(
    '/admin/email-templates/:id',
    { config: admin, schema: { tags, summary: "Delete a template (not a system message's English one: 409)", params: ZIdParams, response: { 204: ZNoContent } } },
    async (request, reply) => {
      await m.templates.remove(request.params.id, actor(request));
      return reply.code(204).send(null);
    },
  );
  r.post(
    '/admin/email-templates/:id/preview',
    {
      config: admin,
      schema: { tags, summary: 'Render a template with the given variables (samples for the rest)', params: ZIdParams, body: dto.ZPreviewBody, response: { 200: dto.ZPreview } },
    },
    async (request) => m.templates.preview(request.params.id, request.body.variables),
  );
  r.get(
    '/admin/email-logs',
    { config: admin, schema: { tags, summary: 'Every email sent, newest first', querystring: dto.ZEmailLogQuery, response: { 200: ZPage(dto.ZEmailLog) } } },
    async (request) => m.logs.list(request.query),
  );
}
