/**
 * The OpenAPI document as integrators consume it: valid OpenAPI 3.1 by a standard validator, every
 * `$ref` pointing at something, every operation named, summarised, tagged and answering errors as
 * the shared `Problem`; TypeScript generated from it type-checks a small client program and is the
 * one the SDK in clients/typescript ships.
 * Real: buildApp() with every optional route on (Stripe, ZarinPal, manual payments) on the test
 * database, `@apidevtools/swagger-parser`'s validation, `openapi-typescript`'s generator, the
 * TypeScript compiler and `openapi-fetch`'s types. Stand-ins: none (the payment gateways are
 * configured but never contacted: building the document calls nobody).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedDocumentEnv, SCHEMA_FILE, schemaSourceOf } from '../../scripts/openapi-sdk.ts';
import { ZProblem } from '../../src/platform/http/openapi-operations.ts';
import { call, createTestApp, type TestApp } from '../helpers/app.ts';

type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: unknown[];
  requestBody?: { content: Record<string, { schema?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
};
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

let t: TestApp;
let doc: Doc;
beforeAll(async () => {
  t = await createTestApp({ env: publishedDocumentEnv });
  const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(res.statusCode).toBe(200);
  doc = JSON.parse(res.body) as Doc;
});
afterAll(async () => t?.close());

function operations(): Array<{ method: string; path: string; op: Operation }> {
  return Object.entries(doc.paths).flatMap(([p, item]) =>
    Object.entries(item)
      .filter(([m]) => METHODS.has(m))
      .map(([method, op]) => ({ method, path: p, op })),
  );
}

/** Every `$ref` string anywhere in `value`, with where it was found. */
function refsIn(value: unknown, at = '#'): Array<{ ref: string; at: string }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => refsIn(v, `${at}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [{ ref: v, at }] : refsIn(v, `${at}/${k}`)));
}

/** The value a local JSON pointer (`#/a/b~1c`) names, or undefined. */
function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let cur: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

describe('GET /api/openapi.json', () => {
  it('is valid OpenAPI 3.1 for @apidevtools/swagger-parser', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const api = await SwaggerParser.validate(structuredClone(doc) as never);
    expect(Object.keys(api.paths ?? {}).length).toBe(Object.keys(doc.paths).length);
  });

  it('has no dangling $ref: each names a schema the document holds', () => {
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(100);
    const dangling = refs.filter(({ ref }) => resolvePointer(doc, ref) === undefined).map(({ ref, at }) => `${ref} at ${at}`);
    expect(dangling).toEqual([]);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Problem', 'JsonValue', 'JsonValueInput']));
  });

  it('names free-form JSON fields with the recursive JsonValue component', () => {
    const body = doc.paths['/api/v1/products']!.post!.requestBody!.content['application/json']!.schema as { properties: Record<string, unknown> };
    expect(body.properties.custom_fields).toMatchObject({ type: 'object', additionalProperties: { $ref: '#/components/schemas/JsonValueInput' } });
    expect(JSON.stringify(doc.components.schemas.JsonValue)).toContain('"$ref":"#/components/schemas/JsonValue"');
  });

  it('gives every operation a unique camelCase operationId, a summary and a tag', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(100);
    const missing = ops.filter(({ op }) => !op.operationId || !op.summary?.trim() || !op.tags?.length).map(({ method, path: p }) => `${method} ${p}`);
    expect(missing).toEqual([]);
    const bad = ops.map(({ op }) => op.operationId!).filter((id) => !/^[a-z][a-zA-Z0-9]*$/.test(id));
    expect(bad).toEqual([]);
    const ids = ops.map(({ op }) => op.operationId!);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('derives operationIds from method and path, so they stay put', () => {
    const id = (m: string, p: string) => doc.paths[p]![m]!.operationId;
    expect(id('get', '/api/v1/me')).toBe('getMe');
    expect(id('post', '/api/v1/generations')).toBe('postGenerations');
    expect(id('get', '/api/v1/generations/{id}/events')).toBe('getGenerationsByIdEvents');
    expect(id('delete', '/api/v1/collections/{id}/items/{asset_id}')).toBe('deleteCollectionsByIdItemsByAssetId');
    expect(id('post', '/api/v1/billing/webhooks/stripe')).toBe('postBillingWebhooksStripe');
  });

  it('answers every operation with a success (or redirect) and with Problem as problem+json for 4XX and 5XX', () => {
    for (const { method, path: p, op } of operations()) {
      const where = `${method} ${p}`;
      expect(Object.keys(op.responses).some((c) => /^[23]\d\d$/.test(c)), where).toBe(true);
      for (const range of ['4XX', '5XX']) {
        expect(op.responses[range]?.content?.['application/problem+json']?.schema, `${where} ${range}`).toEqual({ $ref: '#/components/schemas/Problem' });
      }
    }
  });

  it('describes the multipart upload by its parts', () => {
    const body = doc.paths['/api/v1/assets']!.post!.requestBody!.content['multipart/form-data']!.schema as { properties: Record<string, unknown>; required: string[] };
    expect(body.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(body.properties.purpose).toMatchObject({ enum: ['upload', 'training', 'avatar'] });
    expect(body.required).toEqual(['file']);
  });

  it('lists the request headers a handler reads itself', () => {
    const headers = (m: string, p: string) => (doc.paths[p]![m] as { parameters?: Array<{ in: string; name: string }> }).parameters?.filter((x) => x.in === 'header').map((x) => x.name);
    expect(headers('post', '/api/v1/generations')).toEqual(['idempotency-key', 'cancel-after']);
    for (const p of ['/api/v1/billing/checkout', '/api/v1/billing/coupons/redeem', '/api/v1/billing/gift-cards/redeem', '/api/v1/generation-batches', '/api/v1/subjects']) {
      expect(headers('post', p), p).toEqual(['idempotency-key']);
    }
  });

  it('says which operations need a credential', () => {
    expect(doc.paths['/api/v1/me']!.get!.security).toEqual([{ bearer: [] }, { cookie: [] }]);
    expect(doc.paths['/api/v1/admin/system']!.get!.security).toEqual([{ bearer: [] }, { cookie: [] }]);
    expect(doc.paths['/api/v1/auth/login']!.post!.security).toBeUndefined();
  });

  it('describes the problem bodies the server really sends', async () => {
    const unauthorized = await call(t.app, 'GET', '/api/v1/me');
    expect(unauthorized.statusCode).toBe(401);
    expect(String(unauthorized.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(ZProblem.strict().parse(unauthorized.data).code).toBe('unauthorized');
    const invalid = await call(t.app, 'POST', '/api/v1/auth/register', { body: { password: 'x' } });
    expect(invalid.statusCode).toBe(400);
    expect(ZProblem.strict().parse(invalid.data).errors?.length).toBeGreaterThan(0);
  });
});

describe('a TypeScript client generated from the document', () => {
  it('is what the SDK ships: clients/typescript/src/schema.d.ts matches the document (else run npm run sdk:generate)', async () => {
    const committed = await fs.readFile(SCHEMA_FILE, 'utf8');
    expect(committed === (await schemaSourceOf(doc)), 'schema.d.ts is stale: run `npm run sdk:generate` and commit it').toBe(true);
  });

  it('type-checks a program calling the API through openapi-fetch, and refuses wrong calls', async () => {
    const source = await schemaSourceOf(doc);
    expect(source).toContain('"/api/v1/generations"');
    // Inside the repository so that `openapi-fetch` resolves from its node_modules.
    const root = path.resolve(import.meta.dirname, '../..');
    await fs.mkdir(path.join(root, '.tmp'), { recursive: true });
    const dir = await fs.mkdtemp(path.join(root, '.tmp', 'openapi-client-'));
    try {
      await fs.writeFile(path.join(dir, 'schema.d.ts'), source);
      await fs.writeFile(path.join(dir, 'program.ts'), CLIENT_PROGRAM);
      const program = ts.createProgram([path.join(dir, 'program.ts')], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
        types: [],
        skipLibCheck: true,
      });
      const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(diagnostics).toEqual([]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Correct calls compile; each `@ts-expect-error` marks a call the types must refuse (an unused one is
 * itself a diagnostic, so loose `any` types would fail the test).
 */
const CLIENT_PROGRAM = `
import createClient from 'openapi-fetch';
import type { components, paths } from './schema.d.ts';

type Problem = components['schemas']['Problem'];

export async function main(): Promise<void> {
  const client = createClient<paths>({ baseUrl: 'http://localhost:8080', headers: { authorization: 'Bearer atl_x' } });

  const me = await client.GET('/api/v1/me');
  if (me.data) {
    const id: string = me.data.id;
    const available: number = me.data.credits.available;
    const role: 'user' | 'vendor' | 'admin' = me.data.role;
    void [id, available, role];
  } else {
    const problem: Problem = me.error;
    const code: Problem['code'] = problem.code;
    void code;
  }

  const created = await client.POST('/api/v1/generations', {
    params: { header: { 'idempotency-key': 'order-42', 'cancel-after': '5m' } },
    body: { type: 'background_removal', source_asset_ids: ['00000000-0000-4000-8000-000000000000'], num_outputs: 1 },
  });
  if (created.data) {
    const status: 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled' = created.data.status;
    const reserved: number = created.data.credits_reserved;
    void [status, reserved];
    const one = await client.GET('/api/v1/generations/{id}', { params: { path: { id: created.data.id } } });
    void one.data?.outputs.map((o) => o.id);
  }

  const product = await client.POST('/api/v1/products', { body: { name: 'Mug', custom_fields: { colour: 'red', sizes: [1, 2], nested: { ok: true } } } });
  void product;

  // @ts-expect-error: not a generation type
  await client.POST('/api/v1/generations', { body: { type: 'teleport' } });
  // @ts-expect-error: the body has no such field
  await client.POST('/api/v1/generations', { body: { type: 'upscale', colour: 'red' } });
  // @ts-expect-error: the path parameter is required
  await client.GET('/api/v1/generations/{id}', {});
  // @ts-expect-error: no such path
  await client.GET('/api/v1/nowhere');
  // @ts-expect-error: POST /generations reads no such header
  await client.POST('/api/v1/generations', { params: { header: { 'idempotency-keys': 'x' } }, body: { type: 'upscale' } });
  // @ts-expect-error: a JSON value cannot be a function
  await client.POST('/api/v1/products', { body: { name: 'Mug', custom_fields: { f: () => 1 } } });
}
`;
