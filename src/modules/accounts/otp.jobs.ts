/**
 * Queue jobs of one-time codes (issue 16, item 7; decision 100). `/auth/otp/request` only enqueues
 * `accounts.otp-request`, the same single insert whether or not the account exists, so its answer
 * time says nothing about the account. The worker looks the account up and, for a real one, writes
 * the code row and `accounts.otp-deliver` in one transaction; delivery is retried without making a
 * new code. The code waits in the delivery job sealed under the server secret, never in clear.
 */
import { z } from 'zod';
import type { JobDefinition } from '../../platform/queue/queue.ts';
import { otpPurposes } from './accounts.tables.ts';

export const otpRequestJob = {
  name: 'accounts.otp-request',
  schema: z.object({
    purpose: z.enum(otpPurposes),
    email: z.string().optional(),
    phone: z.string().optional(),
    ip: z.string().nullable(),
  }),
  options: { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 },
} satisfies JobDefinition;

/** Sends one code. A code that expired or was used meanwhile is not sent. */
export const otpDeliverJob = {
  name: 'accounts.otp-deliver',
  schema: z.object({ otp_id: z.uuid(), sealed_code: z.string() }),
  options: { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 },
} satisfies JobDefinition;

export const accountsJobs: JobDefinition[] = [otpRequestJob, otpDeliverJob];
