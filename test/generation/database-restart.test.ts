/**
 * The database dropping out while a worker finishes a run: the settling transaction is tried again
 * until the database is back, so the generation completes with its outputs, its credits captured
 * and no file without a row — instead of waiting for the reconciler to fail it as a timeout.
 * Real: app, PostgreSQL (TEST_DATABASE_URL; skipped on PGlite, which lives in-process), pg-boss and
 * the engine's workers in this process, the ledger, local-disk storage. Stand-ins: the image
 * provider (held at a gate until the database is cut), a TCP proxy between the process and
 * PostgreSQL, cut to drop every connection and refuse new ones, as a restart does.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, sqlRows } from '../helpers/app.ts';
import { testDatabaseUrl } from '../helpers/databases.ts';
import { createGenerationTestApp, final, type GenerationTestApp } from '../helpers/generation.ts';
import { createStandInProvider } from '../helpers/stand-in-provider.ts';
import { proxyPostgres, type TcpProxy } from '../helpers/tcp-proxy.ts';

const serverUrl = testDatabaseUrl();
const standIn = createStandInProvider();
let t: GenerationTestApp;
let proxy: TcpProxy;

beforeAll(async () => {
  if (!serverUrl) return;
  const proxied = await proxyPostgres(serverUrl);
  proxy = proxied.proxy;
  t = await createGenerationTestApp({ generation: { providers: [standIn.provider] }, databaseUrl: proxied.url });
  await t.startWorkers();
});
afterAll(async () => {
  await proxy?.restore().catch(() => {});
  await t?.close();
  await proxy?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!serverUrl)('a run finishing while PostgreSQL is unreachable', () => {
  it('settles once the database is back: completed, credits captured, every file with its row', async () => {
    const u = await t.user(3);
    let release!: () => void;
    standIn.script({ kind: 'gate', until: new Promise<void>((r) => (release = r)) });
    const src = await t.sourceAsset(u.token);
    const submitted = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'upscale', source_asset_ids: [src], num_outputs: 2 } });
    expect(submitted.statusCode, submitted.body).toBe(202);
    const id = submitted.data.id as string;
    await t.until(u.token, id, (g) => g.status === 'processing');
    while (standIn.runs.length === 0) await sleep(20);

    await proxy.cut();
    release(); // the provider delivers; the outputs are written; settling meets a database that is gone
    await sleep(2000);
    expect((await call(t.app, 'GET', `/api/v1/generations/${id}`, { token: u.token })).statusCode).toBe(503);
    await proxy.restore();

    const g = await t.until(u.token, id, final, 30_000);
    expect(g.status, JSON.stringify(g.error)).toBe('completed');
    expect(g.outputs).toHaveLength(2);
    expect(await t.balance(u.id)).toEqual({ available: 1, held: 0 });
    await t.invariants();
    const keys = new Set((await sqlRows<{ k: string }>(t, `select storage_key as k from assets where owner_id = '${u.id}' union select thumbnail_key from assets where owner_id = '${u.id}' and thumbnail_key is not null`)).map((r) => r.k));
    const root = path.join(t.config.dataDir, 'files');
    const files = (await fs.readdir(path.join(root, 'assets', u.id), { recursive: true, withFileTypes: true })).filter((f) => f.isFile()).map((f) => path.relative(root, path.join(f.parentPath, f.name)));
    expect(files.length).toBeGreaterThanOrEqual(4); // the source, two outputs, thumbnails
    expect(files.filter((f) => !keys.has(f))).toEqual([]);
  }, 90_000);
});
