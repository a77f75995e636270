/** The campaign queue: one job per batch; each sends a bounded number of messages and queues the next. */
import { z } from 'zod';
import { systemEmailJob } from '../../platform/mail/email-jobs.ts';
import type { JobDefinition } from '../../platform/queue/queue.ts';

export const campaignBatchJob = {
  name: 'notifications.campaign-batch',
  schema: z.object({ campaign_id: z.uuid() }),
  options: { retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 900 },
  batchSize: 1,
} satisfies JobDefinition;

export const notificationsJobs: JobDefinition[] = [campaignBatchJob, systemEmailJob];
