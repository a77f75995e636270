/**
 * GET /admin/system: what an operator checks first. The payment providers and the credit invariant
 * report come from billing, handed in by the composition root (src/compose.ts).
 */
import type { Config } from '../../config.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Queue } from '../../platform/queue/queue.ts';
import type { TSystemReport } from './system.dto.ts';

export interface SystemDeps {
  version: string;
  database: Pick<Database, 'kind'>;
  queue: Pick<Queue, 'boss'>;
  config: Pick<Config, 'storage'>;
  /** Billing's list of the providers checkout accepts (GET /billing/providers). */
  paymentProviders: TSystemReport['payment_providers'];
  creditInvariants: () => Promise<TSystemReport['credit_invariants']>;
  log: Logger;
}

export function createSystemService(deps: SystemDeps) {
  async function queueState(): Promise<TSystemReport['queue']> {
    try {
      const queues = await deps.queue.boss.getQueues();
      return {
        status: 'ok',
        queues: queues
          .map((q) => ({ name: q.name, queued: q.queuedCount, deferred: q.deferredCount, active: q.activeCount, failed: q.failedCount, total: q.totalCount }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      };
    } catch (err) {
      deps.log.warn({ err }, 'admin/system: queue state unavailable');
      return { status: 'down', queues: [] };
    }
  }

  async function report(): Promise<TSystemReport> {
    const [queue, credits] = await Promise.all([queueState(), deps.creditInvariants()]);
    return {
      version: deps.version,
      uptime_seconds: Math.floor(process.uptime()),
      node_version: process.version,
      database: { kind: deps.database.kind },
      queue,
      storage: { driver: deps.config.storage.driver },
      payment_providers: deps.paymentProviders,
      credit_invariants: credits,
    };
  }

  return { report, queueState };
}

export type SystemService = ReturnType<typeof createSystemService>;
