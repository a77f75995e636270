/** GET /admin/audit-logs, /admin/provider-calls, /admin/payments (role admin; decision 061). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ZPage } from '../../platform/http/pagination.ts';
import * as dto from './records.dto.ts';
import type { AdminRecordsService } from './records.service.ts';

const admin = { auth: 'admin' } as const;

export async function adminRecordsRoutes(app: FastifyInstance, service: AdminRecordsService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['admin'];

  r.get(
    '/admin/audit-logs',
    { config: admin, schema: { tags, summary: 'The audit trail, newest first: who changed what, before and after', querystring: dto.ZAuditLogQuery, response: { 200: ZPage(dto.ZAuditLog) } } },
    async (request) => service.auditLogs(request.query),
  );
  r.get(
    '/admin/provider-calls',
    { config: admin, schema: { tags, summary: 'Calls to image providers, newest first, with latency, status and cost', querystring: dto.ZProviderCallQuery, response: { 200: ZPage(dto.ZProviderCall) } } },
    async (request) => service.providerCalls(request.query),
  );
  r.get(
    '/admin/payments',
    { config: admin, schema: { tags, summary: 'Every payment, newest first', querystring: dto.ZAdminPaymentQuery, response: { 200: ZPage(dto.ZAdminPayment) } } },
    async (request) => service.payments(request.query),
  );
}
