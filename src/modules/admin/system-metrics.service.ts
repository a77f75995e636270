/**
 * System metrics snapshots (decision 064): every few minutes the `admin.system-metrics` job records
 * the queue depth, the generations' throughput and error rate since the previous snapshot, provider
 * call errors, and the database and storage sizes; `GET /admin/system/metrics` pages through them.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import { decodeCursor, toPage } from '../../platform/http/pagination.ts';
import type { TSystemReport } from './system.dto.ts';
import type { TSystemMetrics, TSystemMetricsQuery } from './system-metrics.dto.ts';
import * as q from './system-metrics.queries.ts';

/** A first snapshot, or one after a long stop, measures at most this far back. */
const MAX_WINDOW_MS = 3_600_000;
/** The schedule: one snapshot per tick. */
export const SNAPSHOT_EVERY_MS = 300_000;

export interface SystemMetricsDeps {
  db: Db;
  clock: Clock;
  /** The admin system report's queue state (pg-boss's counts per queue). */
  queueState: () => Promise<TSystemReport['queue']>;
}

const view = (r: q.SystemMetricsRow): TSystemMetrics => ({
  id: r.id,
  recorded_at: r.recordedAt.toISOString(),
  window_seconds: r.windowSeconds,
  queue: { queued: r.queueQueued, active: r.queueActive, failed: r.queueFailed, queues: r.queues },
  generations: { finished: r.generationsFinished, failed: r.generationsFailed, throughput_per_minute: r.throughputPerMinute, error_rate: r.errorRate },
  provider_calls: { total: r.providerCalls, errors: r.providerErrors },
  database_bytes: r.databaseBytes,
  storage_bytes: r.storageBytes,
});

export function createSystemMetricsService(deps: SystemMetricsDeps) {
  async function snapshot(): Promise<TSystemMetrics> {
    const now = deps.clock.now();
    const last = await q.lastSnapshotAt(deps.db);
    const since = new Date(Math.max(last?.getTime() ?? 0, now.getTime() - (last ? MAX_WINDOW_MS : SNAPSHOT_EVERY_MS)));
    const windowMs = Math.max(now.getTime() - since.getTime(), 1);
    const [queue, ended, calls, databaseBytes, storageBytes] = [
      await deps.queueState(),
      await q.generationsEnded(deps.db, since, now),
      await q.providerCallsIn(deps.db, since, now),
      await q.databaseBytes(deps.db),
      await q.storedBytes(deps.db),
    ];
    const queues = queue.queues.map((x) => ({ name: x.name, queued: x.queued + x.deferred, active: x.active, failed: x.failed }));
    const sum = (k: 'queued' | 'active' | 'failed') => queues.reduce((s, x) => s + x[k], 0);
    const row = await q.insertSnapshot(deps.db, {
      recordedAt: now,
      windowSeconds: Math.round(windowMs / 1000),
      queueQueued: sum('queued'),
      queueActive: sum('active'),
      queueFailed: sum('failed'),
      generationsFinished: ended.finished,
      generationsFailed: ended.failed,
      throughputPerMinute: ended.finished / (windowMs / 60_000),
      errorRate: ended.finished === 0 ? 0 : ended.failed / ended.finished,
      providerCalls: calls.calls,
      providerErrors: calls.errors,
      databaseBytes,
      storageBytes,
      queues,
    });
    return view(row);
  }

  async function history(query: TSystemMetricsQuery) {
    const rows = await q.listSnapshots(deps.db, { from: query.from, to: query.to }, decodeCursor(query.cursor), query.limit);
    const page = toPage(rows, query.limit, (r) => ({ createdAt: r.recordedAt, id: r.id }));
    return { data: page.data.map(view), next_cursor: page.next_cursor };
  }

  return { snapshot, history };
}

export type SystemMetricsService = ReturnType<typeof createSystemMetricsService>;
