/**
 * What a local headshot says it did not do. Real: headshot-local.ts's reading of the parameters.
 * Stand-ins: none.
 */
import { describe, expect, it } from 'vitest';
import { ignoredParams } from './headshot-local.ts';

describe('ignoredParams', () => {
  it('names glasses, hair colour and hair style when asked for, and nothing at their defaults', () => {
    expect(ignoredParams({ aspect_ratio: '1:1', glasses: 'no', hair_color: 'default', hair_style: 'no-preference' })).toEqual([]);
    const ignored = ignoredParams({ aspect_ratio: '1:1', glasses: 'yes', hair_color: 'red', hair_style: 'curly' });
    expect(ignored.map((p) => [p.param, p.value])).toEqual([
      ['glasses', 'yes'],
      ['hair_color', 'red'],
      ['hair_style', 'curly'],
    ]);
    for (const p of ignored) expect(p.reason).toMatch(/local provider/);
  });
});
