/**
 * The names and credentials the OpenAPI document gives each operation.
 * Real: the functions themselves. Stand-ins: none.
 */
import { describe, expect, it } from 'vitest';
import { operationIdOf, securityOf, ZProblem } from './openapi-operations.ts';

describe('operationIdOf', () => {
  it('is the method, then the path after the version prefix in PascalCase, parameters as By<Name>', () => {
    expect(operationIdOf('GET', '/api/v1/me')).toBe('getMe');
    expect(operationIdOf('POST', '/api/v1/generation-batches')).toBe('postGenerationBatches');
    expect(operationIdOf('DELETE', '/api/v1/collections/:id/items/:asset_id')).toBe('deleteCollectionsByIdItemsByAssetId');
    expect(operationIdOf('GET', '/api/v1/billing/payments/:payment_id')).toBe('getBillingPaymentsByPaymentId');
  });

  it('keeps paths outside the versioned API whole, and names the root', () => {
    expect(operationIdOf('GET', '/healthz')).toBe('getHealthz');
    expect(operationIdOf('GET', '/api/v1')).toBe('getRoot');
  });

  it('tells apart a parameter and a segment of the same name', () => {
    expect(operationIdOf('GET', '/api/v1/a/:id')).not.toBe(operationIdOf('GET', '/api/v1/a/id'));
  });
});

describe('securityOf', () => {
  it('asks a bearer token or the cookie of user and admin routes, allows none on optional ones', () => {
    expect(securityOf('user')).toEqual([{ bearer: [] }, { cookie: [] }]);
    expect(securityOf('admin')).toEqual([{ bearer: [] }, { cookie: [] }]);
    expect(securityOf('optional')).toEqual([{}, { bearer: [] }, { cookie: [] }]);
    expect(securityOf('none')).toBeUndefined();
    expect(securityOf(undefined)).toBeUndefined();
  });
});

describe('ZProblem', () => {
  it('accepts only the codes the server has', () => {
    const problem = { type: 'https://atelier.dev/problems/not-found', title: 'Not found', status: 404, detail: 'No such thing.', code: 'not_found' };
    expect(ZProblem.parse(problem)).toEqual(problem);
    expect(ZProblem.safeParse({ ...problem, code: 'teapot' }).success).toBe(false);
  });
});
