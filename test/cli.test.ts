/**
 * The command line as an operator runs it: real processes of `node src/main.ts`, a real embedded
 * database in a temporary data dir (or the PostgreSQL server when TEST_DATABASE_URL is set, on a
 * fresh database).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dataDir: string;
beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-cli-'));
});
afterAll(async () => fs.rm(dataDir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['src/main.ts', ...args], {
      env: { ...process.env, ATELIER_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn', NODE_ENV: 'development', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('atelier CLI', () => {
  it('names every bad variable and exits 2', async () => {
    const res = await run(['migrate'], { PORT: 'abc', ATELIER_SIGNUP_CREDITS: '-1' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('PORT');
    expect(res.stderr).toContain('ATELIER_SIGNUP_CREDITS');
  });

  it('refuses to start with a real mail transport beside an outbox left to its development default', async () => {
    const res = await run(['start'], { SMTP_URL: 'smtp://127.0.0.1:2525' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('ATELIER_DEV_OUTBOX');
    expect(res.stdout).not.toContain('Atelier is running');
  });

  it('prints usage for an unknown command', async () => {
    const res = await run(['frobnicate']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('Usage');
  });

  it('migrates, then creates an administrator once', async () => {
    const migrated = await run(['migrate']);
    expect(migrated.stderr).toBe('');
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain('Migrations applied');

    const created = await run(['admin', 'create', '--email', 'Boss@Example.com', '--password', 'admin-password']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('Created administrator');

    const again = await run(['admin', 'create', '--email', 'boss@example.com', '--password', 'admin-password']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');

    const missing = await run(['admin', 'create', '--email', 'x@example.com']);
    expect(missing.code).toBe(2);
  }, 120_000);
});

describe('atelier start', () => {
  it('serves the API, creates the configured admin, and stops cleanly on SIGTERM', async () => {
    const net = await import('node:net');
    const port: number = await new Promise((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const child = spawn(process.execPath, ['src/main.ts', 'start'], {
      env: {
        ...process.env,
        ATELIER_DATA_DIR: path.join(dataDir, 'start'),
        DATABASE_URL: '',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        NODE_ENV: 'development',
        ATELIER_ADMIN_EMAIL: 'owner@example.com',
        ATELIER_ADMIN_PASSWORD: 'owner-password',
      },
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      for (let i = 0; i < 600 && !stdout.includes('Atelier is running at'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(stdout).toContain(`Atelier is running at http://127.0.0.1:${port}`);
      // Development defaults are named loudly before anything is served (decision 050).
      expect(stdout).toContain('UNSAFE FOR PRODUCTION: NODE_ENV is development');
      expect(stdout).toContain('UNSAFE FOR PRODUCTION: ATELIER_DEV_OUTBOX is on');
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'owner@example.com', password: 'owner-password' }),
      });
      expect(login.status).toBe(200);
      expect(((await login.json()) as { user: { role: string } }).user.role).toBe('admin');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 120_000);
});
