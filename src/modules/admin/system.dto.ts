/** Schema of GET /admin/system. */
import { z } from 'zod';

export const ZSystemReport = z.object({
  version: z.string(),
  uptime_seconds: z.number().int(),
  node_version: z.string(),
  database: z.object({ kind: z.enum(['pglite', 'postgres']) }),
  queue: z.object({
    status: z.enum(['ok', 'down']),
    /** pg-boss's own counts per queue (kept by its monitor, so a few seconds old at most). */
    queues: z.array(
      z.object({
        name: z.string(),
        queued: z.number().int(),
        deferred: z.number().int(),
        active: z.number().int(),
        failed: z.number().int(),
        total: z.number().int(),
      }),
    ),
  }),
  storage: z.object({ driver: z.enum(['local', 's3']) }),
  /** Providers configured on this server (checkout accepts these). */
  payment_providers: z.array(z.enum(['stripe', 'zarinpal', 'manual'])),
  credit_invariants: z.object({
    ok: z.boolean(),
    checked_users: z.number().int(),
    violation_count: z.number().int(),
    violations: z.array(
      z.object({
        user_id: z.uuid(),
        available: z.number().int(),
        held: z.number().int(),
        ledger_sum: z.number().int(),
        lots_remaining: z.number().int(),
        holds_held: z.number().int(),
      }),
    ),
  }),
});
export type TSystemReport = z.infer<typeof ZSystemReport>;
