import { describe, expect, it } from 'vitest';
import { slugify } from './slug.ts';

describe('slugify', () => {
  it.each([
    ['Café Lumière', 'cafe-lumiere'],
    ['  Studio  42 — Prints!  ', 'studio-42-prints'],
    ['استودیو', 'vendor'],
    ['a'.repeat(80), 'a'.repeat(48)],
  ])('%j → %j', (name, slug) => expect(slugify(name)).toBe(slug));
});
