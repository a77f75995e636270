/**
 * A system email raised inside a transaction (a generation's settlement): enqueued with it
 * (`queue.send(systemEmailJob, …, { tx })`), so it leaves only if that transaction commits, and
 * sent by the notifications module's worker, which finds the address, locale and preferences and
 * adds the links (decision 059).
 */
import { z } from 'zod';
import type { JobDefinition } from '../queue/queue.ts';

export const systemEmailJob = {
  name: 'notifications.system-email',
  schema: z.discriminatedUnion('template', [
    z.object({ user_id: z.uuid(), template: z.literal('training_ready'), subject_name: z.string().max(200) }),
    z.object({ user_id: z.uuid(), template: z.literal('low_balance'), available: z.number().int().min(0) }),
  ]),
  options: { retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 300 },
  batchSize: 1,
} satisfies JobDefinition;

export type SystemEmailJobData = z.infer<typeof systemEmailJob.schema>;
