/** Which failures are "a dependency is down" (503) rather than a bug (500) or the caller's (4xx). Real: the mapping alone. */
import { describe, expect, it } from 'vitest';
import { isDependencyDown } from '../dependency-down.ts';
import { normalizeError } from './error-handler.ts';

const wrapped = (cause: object) => Object.assign(new Error('Failed query: select 1'), { cause });

describe('isDependencyDown', () => {
  it('sees a refused or dropped connection, however deep it is wrapped', () => {
    expect(isDependencyDown(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDependencyDown(wrapped(new Error('Connection terminated unexpectedly')))).toBe(true);
    expect(isDependencyDown(wrapped({ code: '57P01', message: 'terminating connection due to administrator command' }))).toBe(true);
    expect(isDependencyDown(new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })]))).toBe(true);
  });

  it('leaves other failures alone', () => {
    expect(isDependencyDown(wrapped({ code: '23505', message: 'duplicate key value' }))).toBe(false);
    expect(isDependencyDown(new Error('boom'))).toBe(false);
    expect(isDependencyDown(null)).toBe(false);
  });

  it('renders as 503 unavailable with Retry-After', () => {
    const err = normalizeError(wrapped({ code: '57P03', message: 'the database system is starting up' }));
    expect(err.status).toBe(503);
    expect(err.code).toBe('unavailable');
    expect(err.details?.headers?.['retry-after']).toBe('5');
  });
});
