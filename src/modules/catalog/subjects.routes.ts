/** /subjects: headshot subjects, trained from 1–5 of the owner's photos. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/http/auth.ts';
import { idempotencyKeyOf, sendIdempotent, ZIdempotencyHeaders, type Idempotency } from '../../platform/http/idempotency.ts';
import { ZNoContent } from '../../platform/http/schemas.ts';
import * as dto from './subjects.dto.ts';
import type { SubjectsService } from './subjects.service.ts';

const user = { auth: 'user' } as const;

export async function subjectsRoutes(app: FastifyInstance, service: SubjectsService, idempotency: Idempotency): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['catalog'];

  r.post(
    '/subjects',
    {
      config: { ...user, requestHeaders: ZIdempotencyHeaders },
      schema: { tags, summary: 'Create a subject from 1–5 of your photos and start its training (holds the training price)', body: dto.ZCreateSubjectBody, response: { 202: dto.ZSubject } },
    },
    async (request, reply) => {
      const userId = principalOf(request).userId;
      const key = idempotencyKeyOf(request);
      const result = await idempotency.run({ scope: `user:${userId}`, key, route: 'POST /api/v1/subjects', body: request.body }, async (tx) => ({
        status: 202,
        body: await service.create(tx, userId, request.body, { idempotencyKey: key }),
      }));
      return sendIdempotent(reply, result);
    },
  );

  r.get('/subjects', { config: user, schema: { tags, summary: 'Your subjects, newest first', response: { 200: z.array(dto.ZSubject) } } }, async (request) =>
    service.list(principalOf(request).userId),
  );

  r.get(
    '/subjects/:id',
    { config: user, schema: { tags, summary: 'One of your subjects', params: dto.ZSubjectParams, response: { 200: dto.ZSubject } } },
    async (request) => service.get(principalOf(request).userId, request.params.id),
  );

  r.delete(
    '/subjects/:id',
    { config: user, schema: { tags, summary: 'Delete a subject (its photos stay in your library)', params: dto.ZSubjectParams, response: { 204: ZNoContent } } },
    async (request, reply) => {
      await service.remove(principalOf(request).userId, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
