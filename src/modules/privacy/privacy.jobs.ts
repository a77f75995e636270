/**
 * Queue jobs of the privacy module. Each is idempotent: an export is made again from scratch, a
 * folder is deleted again harmlessly.
 */
import { z } from 'zod';
import { scheduledJob, type JobDefinition } from '../../platform/queue/queue.ts';

/** Makes one export's zip. Retried twice; after the last try the export is marked failed. */
export const exportJob = {
  name: 'privacy.export',
  schema: z.object({ export_id: z.uuid() }),
  options: { retryLimit: 2, retryDelay: 30, retryBackoff: true, expireInSeconds: 3600 },
  batchSize: 1,
} satisfies JobDefinition;

/** Deletes an erased user's files (sent in the erasure's transaction, so it exists exactly when the erasure does). */
export const eraseFilesJob = {
  name: 'privacy.erase-files',
  schema: z.object({ user_id: z.uuid() }),
  options: { retryLimit: 10, retryDelay: 60, retryBackoff: true, expireInSeconds: 3600 },
  batchSize: 1,
} satisfies JobDefinition;

/** Removes expired export zips and old failed requests. */
export const exportsExpiryJob = scheduledJob('privacy.exports-expiry', '41 * * * *', 600);

export const privacyJobs: JobDefinition[] = [exportJob, eraseFilesJob, exportsExpiryJob];
