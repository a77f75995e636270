import type { ByteRange } from '../../platform/storage/index.ts';

/**
 * One `bytes=` range of a Range header, resolved against the size. Anything else (several ranges,
 * other units, unsatisfiable or malformed) is ignored, which RFC 9110 allows: the whole file is sent.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | null {
  if (!header || size === 0) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return null;
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return null;
  return { start, end };
}
