import type { ByteRange } from '../../platform/storage/index.ts';

/** A Range header resolved against the size: one range to send, none (send the whole file), or 416. */
export type RangeRequest = ByteRange | 'unsatisfiable' | null;

const SPEC = /^(\d*)-(\d*)$/;

/** One `first-last`, `first-` or `-suffix` spec: a range, 'unsatisfiable', or null when malformed. */
function resolveSpec(spec: string, size: number): ByteRange | 'unsatisfiable' | null {
  const m = SPEC.exec(spec.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    // RFC 9110 §14.1.3: a zero-length suffix selects nothing.
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end: m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1) };
}

/**
 * RFC 9110 §14: a single satisfiable `bytes=` range is served as 206. When every range starts at or
 * beyond the end, the answer is 416. Several ranges with at least one satisfiable are answered with
 * the whole file (200) rather than multipart/byteranges, which RFC 9110 allows; malformed headers
 * and other units are ignored the same way.
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (!header || size === 0) return null;
  const m = /^bytes=(.+)$/.exec(header.trim());
  if (!m) return null;
  const specs = m[1]!.split(',').map((s) => resolveSpec(s, size));
  if (specs.some((s) => s === null)) return null;
  if (specs.every((s) => s === 'unsatisfiable')) return 'unsatisfiable';
  if (specs.length > 1) return null;
  return specs[0]!;
}
