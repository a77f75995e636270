/** What the composition root uses of the privacy module (account export and erasure). */
import type { FastifyInstance } from 'fastify';
import type { JobHandler } from '../../platform/queue/queue.ts';
import type { PrivacyDeps } from './context.ts';
import { createErasureService } from './erasure.service.ts';
import { createExportService } from './export.service.ts';
import { eraseFilesJob, exportJob, exportsExpiryJob } from './privacy.jobs.ts';
import { privacyRoutes as routes } from './privacy.routes.ts';

export { privacyJobs } from './privacy.jobs.ts';
export { accountExports } from './privacy.tables.ts';
export type { PrivacyDeps } from './context.ts';

export function createPrivacyModule(deps: PrivacyDeps) {
  return { exports: createExportService(deps), erasure: createErasureService(deps) };
}
export type PrivacyModule = ReturnType<typeof createPrivacyModule>;

export const privacyRoutes = (app: FastifyInstance, privacy: PrivacyModule) => routes(app, privacy);

/** The handlers a worker runs for this module. */
export function privacyHandlers(privacy: PrivacyModule): JobHandler[] {
  return [
    {
      definition: exportJob,
      handle: (data: { export_id: string }, ctx) => privacy.exports.run(data.export_id, ctx),
    } as JobHandler,
    {
      definition: eraseFilesJob,
      async handle(data: { user_id: string }, ctx) {
        const removed = await privacy.erasure.eraseFiles(data.user_id);
        ctx.log.info({ removed }, 'privacy: erased user files');
      },
    } as JobHandler,
    {
      definition: exportsExpiryJob,
      async handle(_data, ctx) {
        ctx.log.info({ removed: await privacy.exports.sweepExpired() }, 'privacy: expired exports removed');
      },
    } as JobHandler,
  ];
}
