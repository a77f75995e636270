/**
 * The installation under load: API and worker processes started the way an operator starts them
 * (`node src/main.ts api|worker`), on one PostgreSQL database made for the run, Redis for shared
 * rate limits, and one data folder on local disk that every process shares.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface Installation {
  apiUrls: string[];
  databaseUrl: string;
  dataDir: string;
  workers: ChildProcess[];
  /** Kills worker `i` with SIGKILL (no grace, no hand-back) and starts a replacement after `replaceAfterMs`, as a supervisor would. */
  killWorker(i: number, replaceAfterMs: number): Promise<void>;
  stop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function waitReady(url: string, deadlineMs: number): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadlineMs) throw new Error(`${url} did not become ready`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function startInstallation(opts: { serverUrl: string; redisUrl: string; apis: number; workers: number; basePort: number }): Promise<Installation> {
  const name = `atelier_load_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: opts.serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const databaseUrl = withDatabase(opts.serverUrl, name);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-load-'));
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '10',
    REDIS_URL: opts.redisUrl,
    ATELIER_SECRET: randomBytes(36).toString('base64'),
    ATELIER_DATA_DIR: dataDir,
    ATELIER_PAYMENTS_MANUAL: 'on',
    // Every simulated user comes from its own address (X-Forwarded-For), so per-IP limits apply per user.
    ATELIER_TRUST_PROXY: 'true',
    ATELIER_GENERATION_CONCURRENCY_PER_USER: '2',
  };
  const children: ChildProcess[] = [];
  const start = (args: string[], extra: Record<string, string> = {}) => {
    const child = spawn(process.execPath, ['src/main.ts', ...args], { cwd: root, env: { ...env, ...extra }, stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(child);
    return child;
  };
  // Migrate once before the nodes start, as an operator's deploy step would.
  await new Promise<void>((resolve, reject) => {
    start(['migrate']).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`migrate exited ${code}`))));
  });
  const apiUrls = Array.from({ length: opts.apis }, (_, i) => `http://127.0.0.1:${opts.basePort + i}`);
  apiUrls.forEach((_, i) => start(['api'], { PORT: String(opts.basePort + i), HOST: '127.0.0.1' }));
  const workers = Array.from({ length: opts.workers }, () => start(['worker']));
  const deadline = Date.now() + 60_000;
  await Promise.all(apiUrls.map((u) => waitReady(u, deadline)));
  // Each simulated user uploads every few seconds, far past a person's uploads an hour (decision 110):
  // the plans' upload bounds are lifted, as an operator would for such a client. Set after the nodes
  // are up, since a start applies the preset's catalogue.
  const plans = new pg.Client({ connectionString: databaseUrl });
  await plans.connect();
  await plans.query('update plans set uploads_per_hour = null, upload_storage_mb = null');
  await plans.end();
  return {
    apiUrls,
    databaseUrl,
    dataDir,
    workers,
    async killWorker(i, replaceAfterMs) {
      const victim = workers[i]!;
      await new Promise((r) => {
        victim.once('exit', r);
        victim.kill('SIGKILL');
      });
      await new Promise((r) => setTimeout(r, replaceAfterMs));
      workers[i] = start(['worker']);
    },
    async stop() {
      await Promise.all(
        children.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => new Promise((r) => {
          c.once('exit', r);
          c.kill('SIGTERM');
        })),
      );
      const cleanup = new pg.Client({ connectionString: opts.serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await cleanup.end();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
