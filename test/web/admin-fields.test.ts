/**
 * The catalogue form's conversions (decision 072): a stored value becomes the form's text and back
 * into the request body's value — numbers, lists, JSON, dates, and what an emptied field sends
 * (null when it may be null, nothing when it may be left out, an empty text when a text is cleared).
 * Real: web/src/admin/fields.ts as the app bundles it. Stand-ins: none.
 */
import { describe, expect, it } from 'vitest';
import { toBodyValue, toFormValue, type FieldSpec } from '../../web/src/admin/fields.ts';

const field = (f: Omit<FieldSpec<string>, 'name'>): FieldSpec<string> => ({ name: 'name', ...f }) as FieldSpec<string>;

describe('the catalogue form fields', () => {
  it('turn stored values into the form text', () => {
    expect(toFormValue('number', 1999)).toBe('1999');
    expect(toFormValue('number', null)).toBe('');
    expect(toFormValue('boolean', true)).toBe(true);
    expect(toFormValue('boolean', null)).toBe(false);
    expect(toFormValue('list', ['a', 'b'])).toBe('a, b');
    expect(toFormValue('json', { stripe: 'price_1' })).toBe('{\n  "stripe": "price_1"\n}');
    expect(toFormValue('date', '2026-12-04T00:00:00.000Z')).toBe('2026-12-04');
    expect(toFormValue('datetime', '2026-12-04T10:30:00.000Z')).toMatch(/^2026-12-0[45]T\d\d:\d\d$/);
  });

  it('turn the form text into body values', () => {
    expect(toBodyValue(field({ kind: 'number' }), ' 42 ', 'create')).toBe(42);
    expect(toBodyValue(field({ kind: 'number' }), '-5', 'update')).toBe(-5);
    expect(toBodyValue(field({ kind: 'list' }), 'a, , b ,c', 'create')).toEqual(['a', 'b', 'c']);
    expect(toBodyValue(field({ kind: 'json' }), '{"zarinpal":"z1"}', 'update')).toEqual({ zarinpal: 'z1' });
    expect(toBodyValue(field({ kind: 'boolean' }), false, 'update')).toBe(false);
    expect(toBodyValue(field({ kind: ['percentage', 'credits'] }), 'credits', 'create')).toBe('credits');
    const local = '2026-12-04T10:30';
    expect(toBodyValue(field({ kind: 'datetime' }), local, 'create')).toBe(new Date(local).toISOString());
    // A stored instant survives the round trip through the form (to the minute).
    const at = '2026-12-04T10:30:00.000Z';
    expect(toBodyValue(field({ kind: 'datetime' }), toFormValue('datetime', at) as string, 'update')).toBe(at);
  });

  it('send an emptied field as null, as nothing, or as an empty text, as the field allows', () => {
    expect(toBodyValue(field({ kind: 'number', nullable: true }), '', 'update')).toBeNull();
    expect(toBodyValue(field({ kind: 'textarea', nullable: true }), '  ', 'create')).toBeNull();
    expect(toBodyValue(field({ kind: 'number' }), '', 'create')).toBeUndefined();
    expect(toBodyValue(field({ kind: 'json' }), '', 'update')).toBeUndefined();
    expect(toBodyValue(field({ kind: 'list' }), '', 'update')).toEqual([]);
    expect(toBodyValue(field({ kind: 'text' }), '', 'create')).toBeUndefined();
    expect(toBodyValue(field({ kind: 'textarea' }), '', 'update')).toBe('');
  });
});
