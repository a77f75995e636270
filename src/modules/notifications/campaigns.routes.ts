/** /admin/email-campaigns (role admin) and the public one-click unsubscribe, /email/unsubscribe. */
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
const ZTokenQuery = z.object({ token: z.string().min(1).max(200) });

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (body: string) => `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Unsubscribe</title></head><body style="font-family: sans-serif; max-width: 32rem; margin: 3rem auto">${body}</body></html>`;

export async function campaignsRoutes(app: FastifyInstance, m: NotificationsModule): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['admin'];
  const actor = (request: Parameters<typeof principalOf>[0]) => ({ userId: principalOf(request).userId, ...requestMeta(request) });

  r.get(
    '/admin/email-campaigns',
    { config: admin, schema: { tags, summary: 'Email campaigns with their stats, newest first', querystring: dto.ZCampaignQuery, response: { 200: ZPage(dto.ZCampaign) } } },
    async (request) => m.campaigns.list(request.query),
  );
  r.post(
    '/admin/email-campaigns',
    { config: admin, schema: { tags, summary: 'Create a draft campaign from a campaign template and an audience filter', body: dto.ZCreateCampaignBody, response: { 201: dto.ZCampaign } } },
    async (request, reply) => reply.code(201).send(await m.campaigns.create(request.body, actor(request))),
  );
  r.get('/admin/email-campaigns/:id', { config: admin, schema: { tags, summary: 'A campaign with its stats', params: ZIdParams, response: { 200: dto.ZCampaign } } }, async (request) =>
    m.campaigns.get(request.params.id),
  );
  r.patch(
    '/admin/email-campaigns/:id',
    { config: admin, schema: { tags, summary: 'Change a draft, or cancel a draft or a campaign being sent (`status: cancelled`)', params: ZIdParams, body: dto.ZPatchCampaignBody, response: { 200: dto.ZCampaign } } },
    async (request) => m.campaigns.update(request.params.id, request.body, actor(request)),
  );
  r.delete(
    '/admin/email-campaigns/:id',
    { config: admin, schema: { tags, summary: 'Delete a draft (409 otherwise)', params: ZIdParams, response: { 204: ZNoContent } } },
    async (request, reply) => {
      await m.campaigns.remove(request.params.id, actor(request));
      return reply.code(204).send(null);
    },
  );
  r.post(
    '/admin/email-campaigns/:id/send',
    {
      config: admin,
      schema: { tags, summary: 'Start sending a draft (at scheduled_at when later) to the opted-in users of its audience, at a bounded rate; not a draft → 409', params: ZIdParams, response: { 202: dto.ZCampaign } },
    },
    async (request, reply) => reply.code(202).send(await m.campaigns.send(request.params.id, actor(request))),
  );

  // RFC 8058: mail clients POST `List-Unsubscribe=One-Click` as a form; the body carries nothing else we need.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_req, body, done) => done(null, body));
    const s = scope.withTypeProvider<ZodTypeProvider>();
    s.get(
      '/email/unsubscribe',
      {
        config: { auth: 'none' },
        schema: {
          tags: ['email'],
          summary: 'The confirmation page of an unsubscribe link (changes nothing)',
          querystring: ZTokenQuery,
          response: { 200: z.string().describe('An HTML page with a button that POSTs to this URL') },
        },
      },
      async (request, reply) => {
        const { email } = await m.unsubscribe.describe(request.query.token);
        const action = `?token=${encodeURIComponent(request.query.token)}`;
        return reply
          .type('text/html; charset=utf-8')
          .send(page(`<p>Stop marketing email to <strong>${escapeHtml(email)}</strong>?</p><form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`));
      },
    );
    s.post(
      '/email/unsubscribe',
      {
        config: { auth: 'none' },
        schema: { tags: ['email'], summary: 'One-click unsubscribe (RFC 8058): marketing mail off for the address, no sign-in', querystring: ZTokenQuery, response: { 200: z.object({ unsubscribed: z.literal(true), email: z.string() }) } },
      },
      async (request) => ({ unsubscribed: true as const, ...(await m.unsubscribe.unsubscribe(request.query.token)) }),
    );
  });
}
