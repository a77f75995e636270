/** GET /admin/system and /admin/system/metrics (role admin; others get 403 from the auth hook, as on every admin route). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ZSystemReport } from './system.dto.ts';
import type { SystemService } from './system.service.ts';
import { ZPage } from '../../platform/http/pagination.ts';
import { ZSystemMetrics, ZSystemMetricsQuery } from './system-metrics.dto.ts';
import type { SystemMetricsService } from './system-metrics.service.ts';

export async function adminSystemRoutes(app: FastifyInstance, system: SystemService, metrics: SystemMetricsService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/admin/system',
    { config: { auth: 'admin' }, schema: { tags: ['admin'], summary: 'Version, uptime, database, queues, storage, payment providers and the credit invariant report', response: { 200: ZSystemReport } } },
    async () => system.report(),
  );
  r.get(
    '/admin/system/metrics',
    {
      config: { auth: 'admin' },
      schema: { tags: ['admin'], summary: 'Snapshots of queue depth, throughput, error rate, database and storage size, newest first', querystring: ZSystemMetricsQuery, response: { 200: ZPage(ZSystemMetrics) } },
    },
    async (request) => metrics.history(request.query),
  );
}
