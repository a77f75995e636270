/** Latency per route (HdrHistogram, microseconds) and every unexpected answer, for the report. */
import { build, type Histogram } from 'hdr-histogram-js';

export interface Recorder {
  record(route: string, ms: number, status: number, ok: boolean, note?: string): void;
  /** A 503 `unavailable` that the client tried again after its Retry-After (a dependency was down). */
  unavailable(route: string): void;
  report(seconds: number): { table: string; requests: number; errors: number; errorsByRoute: Record<string, number>; samples: string[]; unavailable: number };
}

export function createRecorder(): Recorder {
  const histograms = new Map<string, Histogram>();
  const errors = new Map<string, number>();
  const samples: string[] = [];
  const refused = new Map<string, number>();
  let total = 0;
  return {
    record(route, ms, status, ok, note) {
      total++;
      let h = histograms.get(route);
      if (!h) histograms.set(route, (h = build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 })));
      h.recordValue(Math.max(1, Math.round(ms * 1000)));
      if (!ok) {
        errors.set(route, (errors.get(route) ?? 0) + 1);
        if (samples.length < 20) samples.push(`${route}: ${status}${note ? ` ${note}` : ''}`);
      }
    },
    unavailable(route) {
      refused.set(route, (refused.get(route) ?? 0) + 1);
    },
    report(seconds) {
      const ms = (us: number) => (us / 1000).toFixed(1);
      const lines = ['| route | requests | per second | p50 ms | p95 ms | p99 ms | errors | 503 retried |', '|---|---:|---:|---:|---:|---:|---:|---:|'];
      for (const [route, h] of [...histograms].sort((a, b) => a[0].localeCompare(b[0]))) {
        lines.push(`| ${route} | ${h.totalCount} | ${(h.totalCount / seconds).toFixed(1)} | ${ms(h.getValueAtPercentile(50))} | ${ms(h.getValueAtPercentile(95))} | ${ms(h.getValueAtPercentile(99))} | ${errors.get(route) ?? 0} | ${refused.get(route) ?? 0} |`);
      }
      return { table: lines.join('\n'), requests: total, errors: [...errors.values()].reduce((a, b) => a + b, 0), errorsByRoute: Object.fromEntries(errors), samples, unavailable: [...refused.values()].reduce((a, b) => a + b, 0) };
    },
  };
}
