/** /generation-types and /generations/*. */
import type { FastifyInstance } from 'fastify';
import type { LanguagePicker } from '../../platform/http/language.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/errors.ts';
import { idempotencyKeyOf, sendIdempotent, type Idempotency } from '../../platform/http/idempotency.ts';
import { ZPage } from '../../platform/http/pagination.ts';
import { bytesResponse } from '../../platform/http/schemas.ts';
import * as dto from './generation.dto.ts';
import type { GenerationService } from './generation.service.ts';
import type { createEventStreams } from './events.ts';

const user = { auth: 'user' } as const;

export async function generationRoutes(
  app: FastifyInstance,
  service: GenerationService,
  streams: ReturnType<typeof createEventStreams>,
  idempotency: Idempotency,
  language: LanguagePicker,
): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['generation'];

  r.get(
    '/generation-types',
    {
      // Signed in or not: a signed-in user's language preference decides the words (decision 104).
      config: { auth: 'optional' },
      schema: {
        tags,
        summary: 'The generation types offered here, with price, parameter schema and providers; names, labels and hints in the user’s language (Content-Language)',
        response: { 200: z.array(dto.ZGenerationTypeInfo) },
      },
    },
    async (request, reply) => service.types(await language(request, reply)),
  );

  r.post(
    '/generations',
    {
      config: { ...user, requestHeaders: dto.ZCreateGenerationHeaders },
      schema: {
        tags,
        summary: 'Start a generation: holds price × num_outputs credits (accepts Idempotency-Key and Cancel-After)',
        body: dto.ZCreateGenerationBody,
        response: { 202: dto.ZGeneration },
      },
    },
    async (request, reply) => {
      const userId = principalOf(request).userId;
      const cancelAfterSec = dto.parseCancelAfter(request.headers['cancel-after']);
      if (cancelAfterSec === 'invalid') throw errors.validation([{ path: 'headers.cancel-after', message: 'whole seconds ≥ 1 (or 30s, 5m, 1h)' }]);
      const key = idempotencyKeyOf(request);
      const result = await idempotency.run(
        // Cancel-After changes what is created, so it is part of what a replay must match.
        { scope: `user:${userId}`, key, route: 'POST /api/v1/generations', body: { body: request.body, cancel_after: cancelAfterSec ?? null } },
        async (tx) => ({ status: 202, body: await service.submit(tx, userId, request.body, { idempotencyKey: key, cancelAfterSec }) }),
      );
      return sendIdempotent(reply, result);
    },
  );

  r.get(
    '/generations',
    { config: user, schema: { tags, summary: 'Your generations, newest first', querystring: dto.ZGenerationListQuery, response: { 200: ZPage(dto.ZGeneration) } } },
    async (request) => service.list(principalOf(request).userId, request.query),
  );

  r.get(
    '/generations/:id',
    { config: user, schema: { tags, summary: 'One of your generations, with its outputs', params: dto.ZGenerationIdParams, response: { 200: dto.ZGeneration } } },
    async (request) => service.get(principalOf(request).userId, request.params.id),
  );

  r.patch(
    '/generations/:id',
    {
      config: user,
      schema: { tags, summary: 'Favourite, rate or annotate a generation', params: dto.ZGenerationIdParams, body: dto.ZPatchGenerationBody, response: { 200: dto.ZGeneration } },
    },
    async (request) => service.patch(principalOf(request).userId, request.params.id, request.body),
  );

  r.post(
    '/generations/:id/cancel',
    {
      config: user,
      schema: { tags, summary: 'Cancel a pending or running generation; its hold is released', params: dto.ZGenerationIdParams, response: { 200: dto.ZGeneration } },
    },
    async (request) => service.cancel(principalOf(request).userId, request.params.id),
  );

  r.get(
    '/generations/:id/events',
    {
      config: user,
      schema: {
        tags,
        summary: 'Server-sent events: the current state, then one `status` event per change; ends after a final status. At most ATELIER_EVENT_STREAMS_PER_USER (5) open per user: one more is 429 `rate_limited`',
        params: dto.ZGenerationIdParams,
        produces: ['text/event-stream'],
        response: { 200: bytesResponse('The event stream', ['text/event-stream']) },
      },
    },
    async (request, reply) => {
      const userId = principalOf(request).userId;
      await service.owned(userId, request.params.id);
      const stream = await streams.open(userId, request.params.id);
      return reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('x-accel-buffering', 'no')
        .send(stream);
    },
  );
}
