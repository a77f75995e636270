/**
 * A revocation made through one API process stops the credential on another within a second
 * (decision 070), with each process caching the principals it has seen; a profile edited through
 * one shows in GET /me on the other within a second, with each caching account views (decision
 * 106). PostgreSQL only: the embedded database lives inside one process.
 * Real: two `node src/main.ts start` processes on one PostgreSQL database, HTTP between this test
 * and them, the triggers and LISTEN/NOTIFY, argon2, JWTs. Stand-ins: mail goes to the outbox table
 * (read through the dev outbox route, as a person trying Atelier out would).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import { createTestDatabase, testDatabaseUrl } from '../helpers/databases.ts';

const children: ChildProcess[] = [];
const dirs: string[] = [];
let database: Database;
let nodeA: string;
let nodeB: string;

async function startNode(): Promise<string> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-node-'));
  dirs.push(dataDir);
  const child = spawn(process.execPath, ['src/main.ts', 'start'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.connectionString!,
      ATELIER_DATA_DIR: dataDir,
      ATELIER_SECRET: 'two-nodes-secret-'.padEnd(48, 'x'),
      ATELIER_RATE_LIMIT: 'off',
      ATELIER_DEV_OUTBOX: 'on',
      ATELIER_PUBLIC_URL: '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /is running at (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve(url.replace('localhost', '127.0.0.1'));
    });
    child.on('exit', (code) => reject(new Error(`API process exited early (${code})`)));
  });
}

async function api(node: string, method: string, url: string, opts: { token?: string; body?: unknown } = {}) {
  const res = await fetch(`${node}/api/v1${url}`, {
    method,
    headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, data: text ? JSON.parse(text) : undefined };
}

/** GET /me's status on `node`, asked again until it is `status` or a second has passed. */
async function statusWithin1s(node: string, credential: string, status: number): Promise<number> {
  const until = Date.now() + 1_000;
  let last = (await api(node, 'GET', '/me', { token: credential })).status;
  while (last !== status && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
    last = (await api(node, 'GET', '/me', { token: credential })).status;
  }
  return last;
}

/** A user signed up and verified on A. */
async function verifiedUser() {
  const email = `two-nodes-${Date.now()}@example.com`;
  const reg = await api(nodeA, 'POST', '/auth/register', { body: { email, password: 'password123' } });
  expect(reg.status).toBe(201);
  expect((await api(nodeA, 'POST', '/auth/otp/request', { body: { email, purpose: 'email_verify' } })).status).toBe(202);
  // The code is sent by the node's queue worker (decision 100): wait for it to reach the outbox.
  let code: string | undefined;
  for (let i = 0; i < 500 && !code; i++) {
    code = (await api(nodeA, 'GET', `/dev/outbox?to=${encodeURIComponent(email)}`)).data.data[0]?.code;
    if (!code) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect((await api(nodeA, 'POST', '/auth/otp/verify', { body: { email, purpose: 'email_verify', code } })).status).toBe(200);
  return { email, reg };
}

describe.skipIf(!testDatabaseUrl())('two API processes on one PostgreSQL', () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    // One after the other: the first start settles the preset, the second finds it done.
    nodeA = await startNode();
    nodeB = await startNode();
  }, 120_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.on('exit', r)))));
    await database?.close();
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });

  it('a session revoked on A stops on B, and a key revoked on A stops on B, within a second', async () => {
    const { email, reg } = await verifiedUser();
    const other = await api(nodeA, 'POST', '/auth/login', { body: { email, password: 'password123' } });
    const key = await api(nodeA, 'POST', '/me/api-keys', { token: other.data.access_token, body: { name: 'two nodes' } });
    expect(key.status).toBe(201);

    // B has seen (and cached) both credentials.
    for (let i = 0; i < 3; i++) {
      expect((await api(nodeB, 'GET', '/me', { token: reg.data.access_token })).status).toBe(200);
      expect((await api(nodeB, 'GET', '/me', { token: key.data.key })).status).toBe(200);
    }

    const sessions = await api(nodeA, 'GET', '/me/sessions', { token: other.data.access_token });
    const first = sessions.data.data.find((s: { current: boolean }) => !s.current);
    expect((await api(nodeA, 'DELETE', `/me/sessions/${first.id}`, { token: other.data.access_token })).status).toBe(204);
    expect(await statusWithin1s(nodeB, reg.data.access_token, 401)).toBe(401);

    expect((await api(nodeA, 'DELETE', `/me/api-keys/${key.data.id}`, { token: other.data.access_token })).status).toBe(204);
    expect(await statusWithin1s(nodeB, key.data.key, 401)).toBe(401);

    // What was not revoked still works on both.
    expect((await api(nodeB, 'GET', '/me', { token: other.data.access_token })).status).toBe(200);
    expect((await api(nodeA, 'GET', '/me', { token: other.data.access_token })).status).toBe(200);
  });

  it('a profile edited on A shows on B within a second, although B had its account view cached (decision 106)', async () => {
    const { reg } = await verifiedUser();
    const token: string = reg.data.access_token;
    for (let i = 0; i < 3; i++) expect((await api(nodeB, 'GET', '/me', { token })).data.full_name).toBeNull();
    expect((await api(nodeA, 'PATCH', '/me', { token, body: { full_name: 'Seen on B' } })).status).toBe(200);
    // At once on A, the process that made the change.
    expect((await api(nodeA, 'GET', '/me', { token })).data.full_name).toBe('Seen on B');
    const until = Date.now() + 1_000;
    let name = (await api(nodeB, 'GET', '/me', { token })).data.full_name;
    while (name !== 'Seen on B' && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
      name = (await api(nodeB, 'GET', '/me', { token })).data.full_name;
    }
    expect(name).toBe('Seen on B');
  });
});
