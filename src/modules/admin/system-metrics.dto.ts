/** GET /admin/system/metrics (decision 064). */
import { z } from 'zod';
import { ZListQuery } from '../../platform/http/pagination.ts';
import { fromBeforeTo, ZFrom, ZTo } from './period.dto.ts';

export const ZSystemMetricsQuery = ZListQuery.extend({ from: ZFrom.optional(), to: ZTo.optional() }).superRefine(fromBeforeTo);
export type TSystemMetricsQuery = z.infer<typeof ZSystemMetricsQuery>;

const ZCount = z.number().int();

export const ZSystemMetrics = z.object({
  id: z.uuid(),
  recorded_at: z.iso.datetime(),
  /** The rates cover the time since the previous snapshot (at most an hour). */
  window_seconds: ZCount,
  queue: z.object({
    /** Jobs waiting (queued or deferred) over every queue: the queue depth. */
    queued: ZCount,
    active: ZCount,
    failed: ZCount,
    queues: z.array(z.object({ name: z.string(), queued: ZCount, active: ZCount, failed: ZCount })),
  }),
  generations: z.object({
    finished: ZCount,
    failed: ZCount,
    throughput_per_minute: z.number(),
    /** failed / finished in the window; 0 when none finished. */
    error_rate: z.number(),
  }),
  provider_calls: z.object({ total: ZCount, errors: ZCount }),
  database_bytes: ZCount,
  storage_bytes: ZCount,
});
export type TSystemMetrics = z.infer<typeof ZSystemMetrics>;
