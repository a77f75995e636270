/** /generation-batches: many headshots of one subject in one all-or-nothing submission. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../platform/http/auth.ts';
import { idempotencyKeyOf, sendIdempotent, ZIdempotencyHeaders, type Idempotency } from '../../platform/http/idempotency.ts';
import * as dto from './batches.dto.ts';
import type { BatchesService } from './batches.service.ts';

const user = { auth: 'user' } as const;

export async function batchesRoutes(app: FastifyInstance, service: BatchesService, idempotency: Idempotency): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['generation'];

  r.post(
    '/generation-batches',
    {
      config: { ...user, requestHeaders: ZIdempotencyHeaders },
      schema: {
        tags,
        summary: 'Start one headshot generation per reference photo or style, all holds in one transaction (accepts Idempotency-Key)',
        body: dto.ZCreateBatchBody,
        response: { 202: dto.ZBatchCreated },
      },
    },
    async (request, reply) => {
      const userId = principalOf(request).userId;
      const key = idempotencyKeyOf(request);
      const result = await idempotency.run({ scope: `user:${userId}`, key, route: 'POST /api/v1/generation-batches', body: request.body }, async (tx) => ({
        status: 202,
        body: await service.create(tx, userId, request.body),
      }));
      return sendIdempotent(reply, result);
    },
  );

  r.get(
    '/generation-batches/:id',
    { config: user, schema: { tags, summary: 'One of your batches, with counts per status, credits and outputs', params: dto.ZBatchIdParams, response: { 200: dto.ZBatch } } },
    async (request) => service.get(principalOf(request).userId, request.params.id),
  );
}
