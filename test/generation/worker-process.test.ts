/**
 * A worker process that dies or is stopped in the middle of a generation (PostgreSQL only: the
 * embedded database lives inside one process).
 * Real: a separate worker process (test/helpers/generation-worker.ts: the real runtime and engine
 * handlers), this process's app and workers, PostgreSQL, pg-boss retries, the ledger. Stand-ins: the
 * image provider in both processes (test/helpers/stand-in-provider.ts: hanging in the child,
 * succeeding here), a manual clock here (moved past the deadline for the reconciler).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reconcileOverdue } from '../../src/modules/generation/index.ts';
import { call } from '../helpers/app.ts';
import { testDatabaseUrl } from '../helpers/databases.ts';
import { createGenerationTestApp, usageRows, type GenerationTestApp } from '../helpers/generation.ts';
import { createStandInProvider } from '../helpers/stand-in-provider.ts';

const standIn = createStandInProvider();
let t: GenerationTestApp;
const children: ChildProcess[] = [];

function startChild(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['test/helpers/generation-worker.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: t.database.connectionString!,
      ATELIER_DATA_DIR: t.config.dataDir,
      ATELIER_SECRET: t.secret,
      ATELIER_SHUTDOWN_GRACE_SECONDS: '1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
    child.on('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}
const exited = (child: ChildProcess) => new Promise<number | null>((r) => (child.exitCode !== null || child.signalCode !== null ? r(child.exitCode) : child.on('exit', (code) => r(code))));

describe.skipIf(!testDatabaseUrl())('a worker process stopped mid-job', () => {
  beforeAll(async () => {
    t = await createGenerationTestApp({ generation: { providers: [standIn.provider] } });
  });
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await t.invariants();
  });
  afterAll(async () => t?.close());

  async function submitRunning(userId: { token: string }, cancelAfter: string) {
    const src = await t.sourceAsset(userId.token);
    const res = await call(t.app, 'POST', '/api/v1/generations', { token: userId.token, body: { type: 'upscale', source_asset_ids: [src] }, headers: { 'cancel-after': cancelAfter } });
    expect(res.statusCode, res.body).toBe(202);
    return res.data.id as string;
  }

  it('killed (SIGKILL): the reconciler fails it past its deadline and releases the hold; nothing is charged', async () => {
    const u = await t.user(5);
    const id = await submitRunning(u, '60');
    const child = await startChild();
    await t.until(u.token, id, (g) => g.status === 'processing');
    child.kill('SIGKILL');
    await exited(child);
    expect(await t.balance(u.id)).toEqual({ available: 4, held: 1 });
    t.clock.advance(60_000 + 31_000);
    expect(await reconcileOverdue(t.ctx)).toBe(1);
    expect(await t.get(u.token, id)).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
    expect(await t.balance(u.id)).toEqual({ available: 5, held: 0 });
    // Whatever pg-boss still delivers later finds the generation finished.
    await t.startWorkers();
    expect(await usageRows(t, u.id)).toEqual([]);
    await t.stopWorkers();
  });

  it('stopped (SIGTERM) past its grace period: the job is handed back, retried here, and charged once', async () => {
    const u = await t.user(5);
    const id = await submitRunning(u, '600');
    const child = await startChild();
    await t.until(u.token, id, (g) => g.status === 'processing');
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    await t.startWorkers();
    const g = await t.until(u.token, id, (x) => x.status === 'completed', 40_000);
    expect(g).toMatchObject({ attempts: 2, credits_used: 1 });
    expect(await usageRows(t, u.id)).toEqual([{ type: 'usage', amount: -1 }]);
    expect(await t.balance(u.id)).toEqual({ available: 4, held: 0 });
  });
});
