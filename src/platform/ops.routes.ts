/** Liveness, readiness and metrics for orchestrators and Prometheus. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { safeEqual } from './crypto.ts';
import { errors } from './http/errors.ts';
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
  config: Pick<Config, 'metrics'>;
}

/** Throws unless the request may read /metrics; a closed endpoint is not there at all (decision 090). */
function assertMetricsAccess(access: Config['metrics'], request: FastifyRequest): void {
  if (access.access === 'public') return;
  if (access.access === 'off') throw errors.notFound('Route');
  const header = request.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice(7) : '';
  if (!given || !safeEqual(given, access.token)) throw errors.unauthorized('GET /metrics needs the metrics token as a bearer token.');
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

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    assertMetricsAccess(deps.config.metrics, request);
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
