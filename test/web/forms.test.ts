/**
 * The web forms' handling of a refusal: the server's field errors land on the fields the form has,
 * the rest goes to the top of the form, and a field shows the server's words for a server error and
 * the form's own (translated) rule for one the browser caught.
 * Real: web/src/forms.ts and the ApiError of web/src/api/client.ts. Stand-ins: react-hook-form's
 * setError is a recording function.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../web/src/api/client.ts';
import { fieldMessage, showServerError } from '../../web/src/forms.ts';

type Values = { name: string; code: string };

function recorder() {
  const set: Array<[string, { type: string; message?: string }]> = [];
  const setError = (name: string, error: { type: string; message?: string }) => void set.push([name, error]);
  return { set, setError: setError as unknown as Parameters<typeof showServerError<Values>>[2] };
}

describe('showServerError', () => {
  it('puts field errors on the fields and answers nothing for the top when all were placed', () => {
    const r = recorder();
    const err = new ApiError(400, { code: 'validation_failed', detail: 'Invalid request', errors: [{ path: 'body.name', message: 'too long' }] });
    expect(showServerError<Values>(err, ['name', 'code'], r.setError, 'generic')).toBeNull();
    expect(r.set).toEqual([['name', { type: 'server', message: 'too long' }]]);
  });

  it('answers the errors of fields the form does not have for the top', () => {
    const r = recorder();
    const err = new ApiError(400, { code: 'validation_failed', detail: 'Invalid request', errors: [{ path: 'body.package_id', message: 'required' }] });
    expect(showServerError<Values>(err, ['name'], r.setError, 'generic')).toBe('package id: required');
    expect(r.set).toEqual([]);
  });

  it('answers the problem itself when it names no field, and the generic message for anything else', () => {
    const r = recorder();
    expect(showServerError<Values>(new ApiError(409, { code: 'conflict', detail: 'Already exists' }), ['name'], r.setError, 'generic')).toBe('Already exists');
    expect(showServerError<Values>(new Error('boom'), ['name'], r.setError, 'generic')).toBe('generic');
    expect(r.set).toEqual([]);
  });
});

describe('fieldMessage', () => {
  it("shows the server's words for a server error and the form's rule otherwise", () => {
    expect(fieldMessage(undefined, 'rule')).toBeUndefined();
    expect(fieldMessage({ type: 'server', message: 'taken' }, 'rule')).toBe('taken');
    expect(fieldMessage({ type: 'too_small', message: 'Too small: expected string to have >=1 characters' }, 'rule')).toBe('rule');
  });
});
