// Real: node:crypto behind every helper; no stand-ins. Randomness is checked by shape and by
// properties that hold for all but astronomically unlikely draws (each noted where used).
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacHex, randomDigits, randomToken, safeEqual, sha256Hex } from './crypto.ts';

describe('safeEqual', () => {
  it('is true only for identical strings', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'ABC')).toBe(false);
  });

  it('is false for different lengths, either way round, without throwing', () => {
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('abcd', 'abc')).toBe(false);
    expect(safeEqual('', 'a')).toBe(false);
    expect(safeEqual('a', '')).toBe(false);
  });

  it('compares bytes, so strings of equal length but different UTF-8 size are unequal', () => {
    expect(safeEqual('é', 'e')).toBe(false); // 2 bytes vs 1
    expect(safeEqual('ab', 'é')).toBe(false); // 2 bytes each, different
    expect(safeEqual('\u00e9', 'e\u0301')).toBe(false); // composed vs decomposed
    expect(safeEqual('日本', '日本')).toBe(true);
  });

  it('works on hex digests as the callers use it', () => {
    const h = sha256Hex('token');
    expect(safeEqual(h, sha256Hex('token'))).toBe(true);
    expect(safeEqual(h, sha256Hex('tokem'))).toBe(false);
  });
});

describe('randomDigits', () => {
  it('gives six digits by default', () => {
    for (let i = 0; i < 200; i++) expect(randomDigits()).toMatch(/^\d{6}$/);
  });

  it.each([1, 2, 4, 6, 8, 12, 14, 15, 16, 20, 32])('gives exactly %i digits', (length) => {
    for (let i = 0; i < 50; i++) expect(randomDigits(length)).toMatch(new RegExp(`^\\d{${length}}$`));
  });

  it('keeps leading zeros', () => {
    // 2 000 two-digit codes: every one of 00–09 shows up unless a 1-in-10^40-ish event happens.
    const seen = new Set(Array.from({ length: 2000 }, () => randomDigits(2)));
    for (let d = 0; d < 10; d++) expect(seen.has(`0${d}`), `never drew 0${d}`).toBe(true);
    // And with the default length, some codes start with 0 (P(none in 500) = 0.9^500 ≈ 1e-23).
    expect(Array.from({ length: 500 }, () => randomDigits()).some((c) => c.startsWith('0'))).toBe(true);
  });

  it('uses every digit in every position of a long code', () => {
    // P(a given digit missing from a given position in 400 draws) = 0.9^400 ≈ 5e-19.
    const codes = Array.from({ length: 400 }, () => randomDigits(20));
    for (let pos = 0; pos < 20; pos += 7) {
      expect(new Set(codes.map((c) => c[pos])).size).toBe(10);
    }
  });

  it('refuses a length that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => randomDigits(bad)).toThrow(RangeError);
  });
});

describe('digests and tokens', () => {
  it('sha256Hex and hmacHex match node:crypto', () => {
    expect(sha256Hex('abc')).toBe(createHash('sha256').update('abc').digest('hex'));
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hmacHex('key', 'value')).toBe(createHmac('sha256', 'key').update('value').digest('hex'));
    expect(hmacHex('key', 'value')).not.toBe(hmacHex('key2', 'value'));
  });

  it('randomToken is base64url of the asked number of bytes, and does not repeat', () => {
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(randomToken(16), 'base64url')).toHaveLength(16);
    expect(new Set(Array.from({ length: 100 }, () => randomToken())).size).toBe(100);
  });
});
