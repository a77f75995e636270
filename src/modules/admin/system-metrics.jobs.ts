/** The scheduled snapshot of system metrics (decision 064): every five minutes, once across all workers. */
import { scheduledJob, type JobHandler } from '../../platform/queue/queue.ts';
import type { SystemMetricsService } from './system-metrics.service.ts';

export const systemMetricsJob = scheduledJob('admin.system-metrics', '*/5 * * * *', 120);

export function systemMetricsHandler(metrics: Pick<SystemMetricsService, 'snapshot'>): JobHandler<typeof systemMetricsJob.schema> {
  return {
    definition: systemMetricsJob,
    async handle(_data, ctx) {
      const s = await metrics.snapshot();
      ctx.log.debug({ queued: s.queue.queued, error_rate: s.generations.error_rate }, 'admin: system metrics recorded');
    },
  };
}
