/** /me/*: the signed-in user's own account, sessions, API keys and webhook secret. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/http/auth.ts';
import { ZListQuery, ZPage } from '../../platform/http/pagination.ts';
import { ZNoContent } from '../../platform/http/schemas.ts';
import * as dto from './accounts.dto.ts';
import { ZPatchPreferencesBody, ZPreferences } from './preferences.dto.ts';
import type { AccountsService } from './accounts.service.ts';
import { requestMeta } from '../../platform/http/request-meta.ts';

const user = { auth: 'user' } as const;

export async function meRoutes(app: FastifyInstance, accounts: AccountsService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['me'];

  r.get('/me', { config: user, schema: { tags, summary: 'The signed-in account', response: { 200: dto.ZUser } } }, async (request) =>
    accounts.profile.me(principalOf(request).userId),
  );

  r.patch(
    '/me',
    { config: user, schema: { tags, summary: 'Update the profile', body: dto.ZPatchMeBody, response: { 200: dto.ZUser } } },
    async (request) => accounts.profile.update(principalOf(request).userId, request.body),
  );

  r.get('/me/preferences', { config: user, schema: { tags, summary: 'Locale, marketing mail, default studio and notifications', response: { 200: ZPreferences } } }, async (request) =>
    accounts.preferences.get(principalOf(request).userId),
  );

  r.patch(
    '/me/preferences',
    {
      config: user,
      schema: { tags, summary: 'Change some preferences; fields left out stay as they are', body: ZPatchPreferencesBody, response: { 200: ZPreferences } },
    },
    async (request) => accounts.preferences.update(principalOf(request).userId, request.body),
  );

  r.post(
    '/me/password',
    {
      config: user,
      schema: { tags, summary: 'Change the password; other sessions and every API key are revoked; not with an API key', body: dto.ZPasswordChangeBody, response: { 204: ZNoContent } },
    },
    async (request, reply) => {
      await accounts.profile.changePassword(principalOf(request), request.body, requestMeta(request));
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/me/sessions',
    { config: user, schema: { tags, summary: 'Live sign-in sessions', querystring: ZListQuery, response: { 200: ZPage(dto.ZSession) } } },
    async (request) => {
      const p = principalOf(request);
      return accounts.sessions.list(p.userId, p.sessionId, request.query);
    },
  );

  r.delete(
    '/me/sessions/:id',
    { config: user, schema: { tags, summary: 'Sign a session out', params: dto.ZIdParams, response: { 204: ZNoContent } } },
    async (request, reply) => {
      await accounts.sessions.revoke(principalOf(request).userId, request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/me/api-keys',
    { config: user, schema: { tags, summary: 'API keys (without their secret)', querystring: ZListQuery, response: { 200: ZPage(dto.ZApiKey) } } },
    async (request) => accounts.apiKeys.list(principalOf(request).userId, request.query),
  );

  r.post(
    '/me/api-keys',
    {
      config: user,
      schema: { tags, summary: 'Create an API key (verified email or phone; not with an API key); `key` is shown only in this response', body: dto.ZCreateApiKeyBody, response: { 201: dto.ZCreatedApiKey } },
    },
    async (request, reply) => {
      const created = await accounts.apiKeys.create(principalOf(request), request.body.name);
      return reply.code(201).send(created);
    },
  );

  r.delete(
    '/me/api-keys/:id',
    { config: user, schema: { tags, summary: 'Revoke an API key', params: dto.ZIdParams, response: { 204: ZNoContent } } },
    async (request, reply) => {
      await accounts.apiKeys.revoke(principalOf(request).userId, request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/me/webhook-secret',
    {
      config: user,
      schema: {
        tags,
        summary: 'The Standard Webhooks secret (whsec_…) outgoing webhooks are signed with',
        response: { 200: z.object({ secret: z.string() }) },
      },
    },
    async (request) => ({ secret: await accounts.profile.webhookSecret(principalOf(request).userId) }),
  );
  r.post(
    '/me/webhook-secret/rotate',
    {
      config: user,
      schema: {
        tags,
        summary:
          'Replace the webhook secret; the new one is returned once here (and by GET). For 24 hours deliveries carry a second `v1,` signature made with the old one, so a receiver can switch without losing deliveries',
        response: { 200: z.object({ secret: z.string(), previous_valid_until: z.string() }) },
      },
    },
    async (request) => accounts.profile.rotateWebhookSecret(principalOf(request).userId),
  );
}
