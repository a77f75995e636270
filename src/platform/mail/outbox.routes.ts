/**
 * GET /api/v1/dev/outbox: what the outbox holds (emails and SMS, with codes). Dev and tests only.
 * Codes sign in and reset passwords, so the route is open only in pure development, where the outbox
 * is the only mail there is; with a real transport or in production it is for administrators (decision 050).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/types.ts';
import { listOutboxMessages } from './outbox.queries.ts';

const ZOutboxItem = z.object({
  id: z.uuid(),
  channel: z.enum(['email', 'sms']),
  to: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  code: z.string().nullable(),
  created_at: z.iso.datetime(),
});

export async function outboxRoutes(app: FastifyInstance, deps: { db: Db; access: 'anyone' | 'admin' }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/dev/outbox',
    {
      config: { auth: deps.access === 'admin' ? 'admin' : 'none' },
      schema: {
        tags: ['dev'],
        summary: 'Messages the outbox holds, newest first (only with ATELIER_DEV_OUTBOX=on; administrators only beside a real transport or in production)',
        querystring: z.object({ to: z.string().trim().min(1).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ data: z.array(ZOutboxItem) }) },
      },
    },
    async (request) => {
      const to = request.query.to?.includes('@') ? request.query.to.toLowerCase() : request.query.to;
      const rows = await listOutboxMessages(deps.db, { to, limit: request.query.limit });
      return {
        data: rows.map((r) => ({
          id: r.id,
          channel: r.channel,
          to: r.to,
          subject: r.subject,
          body: r.body,
          code: r.code,
          created_at: r.createdAt.toISOString(),
        })),
      };
    },
  );
}
