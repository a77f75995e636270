/** Range header parsing. Real: the parser alone; nothing stands in. */
import { describe, expect, it } from 'vitest';
import { parseRange } from './range.ts';

describe('parseRange', () => {
  it('resolves single byte ranges against the size', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=99-99', 100)).toEqual({ start: 99, end: 99 });
  });

  it('answers unsatisfiable when every range starts at or past the end', () => {
    for (const h of ['bytes=100-', 'bytes=100-200', 'bytes=5000-5001', 'bytes=-0', 'bytes=100-,200-300']) {
      expect(parseRange(h, 100), h).toBe('unsatisfiable');
    }
  });

  it('sends the whole file for several ranges when one is satisfiable, and ignores malformed headers', () => {
    for (const h of [undefined, '', 'bytes=5-1', 'bytes=0-1,5-6', 'bytes=0-1,200-', 'items=0-1', 'bytes=-', 'bytes=a-b', 'bytes=0-1,x']) {
      expect(parseRange(h, 100), String(h)).toBeNull();
    }
  });
});
