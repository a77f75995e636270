/** Liveness, readiness and metrics for orchestrators and Prometheus. */
import type { FastifyInstance } from 'fastify';
import type { Database } from './db/database.ts';
import type { Metrics } from './metrics.ts';
import type { Queue } from './queue/queue.ts';
import type { Storage } from './storage/index.ts';

export interface OpsDeps {
  database: Database;
  queue: Queue;
  metrics: Metrics;
  /** Readiness checks it is reachable (and, on local disk, writable). */
  storage: Storage;
}

async function check(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<'ok' | string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
      }),
    ]);
    return 'ok';
  } catch (err) {
    return err instanceof Error ? err.message : 'failed';
  } finally {
    clearTimeout(timer);
  }
}

export async function opsRoutes(app: FastifyInstance, deps: OpsDeps): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const [database, queue, storage] = await Promise.all([
      check(() => deps.database.ping()),
      check(() => deps.queue.ping()),
      check(() => deps.storage.ping()),
    ]);
    const checks = { database, queue, storage };
    const ready = Object.values(checks).every((c) => c === 'ok');
    // Failure reasons stay in the log; the body only says which dependency is down.
    if (!ready) app.log.warn({ checks }, 'not ready');
    const summary = Object.fromEntries(Object.entries(checks).map(([k, v]) => [k, v === 'ok' ? 'ok' : 'down']));
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks: summary });
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
