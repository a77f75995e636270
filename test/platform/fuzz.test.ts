/**
 * Hostile input against every operation of the published contract: for each path and method of
 * the app's own `/api/openapi.json`, requests with wrong types, nulls, huge and deeply nested
 * values, unicode, prototype keys and injection-looking text in the body, the query and the path —
 * as a user and as an admin. Never a 5xx, never a stack trace or an internal path in the body, a
 * problem+json body on every refusal, and nothing written by a refused request (a fingerprint of
 * every table is compared before and after).
 *
 * Real: buildApp() on the test database (PGlite, or PostgreSQL with TEST_DATABASE_URL), the real
 * queue and local storage, the manual payment provider. Stand-ins: mail and SMS go to the outbox.
 * The values come from a seeded generator, so a failure names a request that can be replayed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, signUpAdmin } from '../helpers/accounts.ts';
import { seeded } from '../helpers/schema-samples.ts';
import { createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; $ref?: string; anyOf?: Schema[]; oneOf?: Schema[]; enum?: unknown[] };
interface Operation {
  method: string;
  path: string;
  body?: Schema;
  query: string[];
}

let t: TestApp;
let user: { token: string };
let admin: { token: string };
let operations: Operation[];

/** Tables a refused request may still write by design: the audit trail of a refusal, attempt counters, last-used stamps. */
const MAY_CHANGE_ON_REFUSAL = new Set(['audit_logs', 'otps', 'sessions', 'api_keys', 'outbox_messages']);
let fingerprintSql: string;

async function fingerprint(): Promise<string> {
  const [row] = await sqlRows<{ f: string }>(t, fingerprintSql);
  return row!.f;
}


/** JSON nested `depth` levels deep, kept as text: building it as a value would overflow this side's stack first. */
class RawJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}
const deep = (depth: number) => new RawJson(`${'['.repeat(depth)}1${']'.repeat(depth)}`);

/** JSON.stringify that splices RawJson text in where it stands. */
function toJson(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_k, v) => (v instanceof RawJson ? `\u0000raw${raws.push(v.text) - 1}\u0000` : v));
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_m, i: string) => raws[Number(i)]!);
}

const HOSTILE: unknown[] = [
  null,
  true,
  -1,
  0,
  1e308,
  -Number.MAX_SAFE_INTEGER - 2,
  1.5,
  '',
  ' ',
  'x'.repeat(20_000),
  '\u0000\u0001\u001f',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🎨 ‮ǝɔɐds ‭ سلام',
  "' OR 1=1; drop table users; --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '${7*7}{{7*7}}',
  'javascript:alert(1)',
  'http://169.254.169.254/latest/meta-data',
  [],
  [1, 'two', null],
  {},
  { $gt: '' },
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
  deep(2000),
  '2026-02-30T25:61:61Z',
  '00000000-0000-0000-0000-000000000000',
];

const WHOLE_BODIES: unknown[] = [null, [], 'text', 42, deep(5000), { extra: 'x'.repeat(200_000) }, JSON.parse('{"__proto__":{"admin":true}}')];
const PATH_VALUES = ['not-a-uuid', '00000000-0000-0000-0000-000000000000', '%00', '..%2F..%2Fetc', 'x'.repeat(2000), encodeURIComponent("' or 1=1 --"), encodeURIComponent('سلام')];

function resolve(doc: any, s: Schema | undefined): Schema | undefined {
  let cur = s;
  for (let i = 0; cur?.$ref && i < 10; i++) {
    const name = cur.$ref.split('/').pop()!;
    cur = doc.components?.schemas?.[name];
  }
  return cur;
}

function collectOperations(doc: any): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const json = op.requestBody?.content?.['application/json']?.schema;
      const query = (op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name as string);
      ops.push({ method: method.toUpperCase(), path, query, ...(json ? { body: resolve(doc, json) ?? {} } : {}) });
    }
  }
  return ops;
}

function fillPath(path: string, value: string): string {
  return path.replace(/\{[^}]+\}/g, value);
}

/** The requests to try for one operation: each property of the body made hostile, whole hostile bodies, hostile query values and path values. */
function variants(op: Operation, rnd: () => number): Array<{ url: string; body?: unknown }> {
  const pick = () => HOSTILE[Math.floor(rnd() * HOSTILE.length)];
  const base = fillPath(op.path, randomUUID());
  const out: Array<{ url: string; body?: unknown }> = [];
  if (op.body) {
    const props = Object.keys(op.body.properties ?? {});
    for (const prop of props) {
      for (let i = 0; i < 2; i++) {
        const body: Record<string, unknown> = {};
        // The other properties get plausible-looking but hostile neighbours too.
        for (const other of props) if (rnd() < 0.3) body[other] = pick();
        body[prop] = pick();
        out.push({ url: base, body });
      }
    }
    for (const body of WHOLE_BODIES) out.push({ url: base, body });
  }
  for (const name of op.query) {
    for (const v of ['', 'x'.repeat(5000), '-1', '1e400', "' or 1=1 --", '%00', '[object Object]', 'null']) out.push({ url: `${base}?${name}=${encodeURIComponent(v)}` });
  }
  if (op.path.includes('{')) for (const v of PATH_VALUES) out.push({ url: fillPath(op.path, v), ...(op.body ? { body: {} } : {}) });
  if (out.length === 0) out.push({ url: base });
  return out;
}

beforeAll(async () => {
  t = await createTestApp({ env: { ATELIER_PAYMENTS_MANUAL: 'on' } });
  const u = await signUp(t.app);
  const a = await signUpAdmin(t);
  user = { token: u.access_token };
  admin = { token: a.access_token };
  const doc = JSON.parse((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).body);
  operations = collectOperations(doc);
  const tables = await sqlRows<{ table_name: string }>(
    t,
    "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like '\\_\\_%' order by table_name",
  );
  const watched = tables.map((r) => r.table_name).filter((n) => !MAY_CHANGE_ON_REFUSAL.has(n));
  fingerprintSql = `select md5(${watched.map((n) => `coalesce((select md5(string_agg(x::text, '|' order by x::text)) from "${n}" x), '')`).join(' || ')}) as f`;
});

afterAll(async () => {
  await t?.close();
});

const STACK = /\bat [\w.<>]+ \(|node_modules|\/work\/|\/src\/|TypeError|ReferenceError|SyntaxError: Unexpected/;

describe('hostile input against the published operations', () => {
  for (const as of ['user', 'admin'] as const) {
    it(`never answers 5xx, leaks nothing and writes nothing when it refuses (as ${as})`, async () => {
      const token = as === 'user' ? user.token : admin.token;
      const rnd = seeded(as === 'user' ? 20261204 : 4122026);
      const problems: string[] = [];
      let sent = 0;
      for (const op of operations) {
        // Signing out or erasing the caller would end the run, not test the input.
        if (op.path.endsWith('/auth/logout') || (op.path === '/api/v1/me' && op.method === 'DELETE') || op.path.endsWith('/events')) continue;
        for (const v of variants(op, rnd)) {
          const before = await fingerprint();
          const res = await t.app.inject({
            method: op.method as 'GET',
            url: v.url,
            headers: { authorization: `Bearer ${token}`, ...(v.body !== undefined ? { 'content-type': 'application/json' } : {}) },
            ...(v.body !== undefined ? { payload: toJson(v.body) } : {}),
          });
          sent++;
          const where = `${op.method} ${v.url.slice(0, 120)} ${v.body !== undefined ? toJson(v.body).slice(0, 160) : ''}`;
          if (res.statusCode >= 500) problems.push(`${res.statusCode} ${where}: ${res.body.slice(0, 200)}`);
          if (STACK.test(res.body) && !res.headers['content-type']?.toString().startsWith('image/')) problems.push(`leak ${where}: ${res.body.slice(0, 200)}`);
          if (res.statusCode >= 400) {
            if (!res.headers['content-type']?.toString().includes('application/problem+json')) problems.push(`not problem+json ${res.statusCode} ${where}`);
            const after = await fingerprint();
            if (after !== before) problems.push(`wrote on a ${res.statusCode} refusal: ${where}`);
          }
        }
      }
      expect(sent).toBeGreaterThan(500);
      expect(problems).toEqual([]);
    }, 600_000);
  }
});
