/** GET /admin/system (role admin; others get 403 from the auth hook, as on every admin route). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ZSystemReport } from './system.dto.ts';
import type { SystemService } from './system.service.ts';

export async function adminSystemRoutes(app: FastifyInstance, system: SystemService): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/admin/system',
    { config: { auth: 'admin' }, schema: { tags: ['admin'], summary: 'Version, uptime, database, queues, storage, payment providers and the credit invariant report', response: { 200: ZSystemReport } } },
    async () => system.report(),
  );
}
