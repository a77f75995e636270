/**
 * What the browser tests share: the real server started as a child process (`node src/main.ts
 * start` on a fresh embedded database), Chromium's path and flags, and small page helpers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const WEB_INDEX = path.join(ROOT, 'web/dist/index.html');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const STEP_TIMEOUT = 120_000;

export const hasChromium = fs.existsSync(CHROMIUM);
export const skipReason = process.env.TEST_DATABASE_URL
  ? 'TEST_DATABASE_URL is set (the PostgreSQL pass runs server tests only)'
  : !hasChromium && !process.env.CI
    ? `${CHROMIUM} not found; install it with \`apt-get install chromium\` to run the browser tests`
    : null;

// ---------------------------------------------------------------------------------------------
// The server under test

export interface Server {
  baseUrl: string;
  output: () => string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The environment of the server: this process's, minus any Atelier settings, plus the test's. */
function serverEnv(port: number, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const foreign = /^(ATELIER_|DATABASE_|REDIS_|MAIL_|SMTP_|SMS_|KAVENEGAR_|TWILIO_|TEST_DATABASE_URL$|NODE_ENV$|PORT$|HOST$|LOG_LEVEL$)/;
  for (const [k, v] of Object.entries(process.env)) if (!foreign.test(k)) env[k] = v;
  return {
    ...env,
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    ATELIER_DATA_DIR: dataDir,
    ATELIER_SIGNUP_CREDITS: '2',
    ATELIER_DEV_OUTBOX: 'on',
    ATELIER_RATE_LIMIT: 'off',
    DATABASE_URL: '', // force the embedded database
    LOG_LEVEL: 'warn',
  };
}

export async function startServer(extraEnv: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'atelier-e2e-'));
  const baseUrl = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ['src/main.ts', 'start'], {
    cwd: ROOT,
    env: { ...serverEnv(port, dataDir), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const killed = await Promise.race([exitPromise.then(() => true), sleep(10_000).then(() => false)]);
      if (!killed) {
        child.kill('SIGKILL');
        await exitPromise;
      }
    }
    await fsp.rm(dataDir, { recursive: true, force: true });
  };

  // Wait for /healthz (up to 60 s), or for the process to die trying.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      await stop();
      const { code, signal } = exited as { code: number | null; signal: NodeJS.Signals | null };
      throw new Error(`the server exited before it was ready (code ${code}, signal ${signal}). Its output:\n${log}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer ${baseUrl}/healthz within 60 s. Its output:\n${log}`);
    }
    await sleep(250);
  }
  return { baseUrl, output: () => log, stop };
}

// ---------------------------------------------------------------------------------------------
// Helpers for the browser

interface OutboxItem {
  channel: 'email' | 'sms';
  to: string;
  code: string | null;
  created_at: string;
}

/** The newest code the outbox holds for `to` (sending may finish just after the 202). */
export async function latestCode(baseUrl: string, to: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${baseUrl}/api/v1/dev/outbox?to=${encodeURIComponent(to)}`);
    expect(res.status, `GET /api/v1/dev/outbox answered ${res.status}: ${await res.clone().text()}`).toBe(200);
    const body = (await res.json()) as { data: OutboxItem[] };
    const found = body.data.find((m) => m.code);
    if (found?.code) return found.code;
    if (Date.now() > deadline) throw new Error(`no code arrived in the outbox for ${to}`);
    await sleep(250);
  }
}

/** Text of a test id element once it is visible. */
export async function textOf(page: Page, testId: string): Promise<string> {
  const el = page.getByTestId(testId);
  await el.waitFor({ state: 'visible' });
  return ((await el.textContent()) ?? '').trim();
}

/** Page errors and CSP violations: the app must run clean under the server's CSP. */
export function watchForProblems(page: Page, into: string[]): void {
  page.on('pageerror', (err) => into.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) into.push(`CSP: ${msg.text()}`);
  });
}


// ---------------------------------------------------------------------------------------------
// A browser on a fresh server

export interface BrowserSession {
  server: Server;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Page errors and CSP violations seen so far (the app must run clean). */
  problems: string[];
  url(path: string): string;
  close(): Promise<void>;
}

/** Starts the server (with `extraEnv`) and a headless Chromium page on it, watched for problems. */
export async function openBrowserSession(extraEnv: Record<string, string> = {}): Promise<BrowserSession> {
  if (!fs.existsSync(WEB_INDEX)) throw new Error(`${WEB_INDEX} does not exist: run \`npm run build:web\` first (\`npm test\` does this)`);
  const server = await startServer(extraEnv);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const problems: string[] = [];
    watchForProblems(page, problems);
    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    const opened = browser;
    return {
      server,
      browser: opened,
      context,
      page,
      problems,
      url: (p) => `${server.baseUrl}${p}`,
      async close() {
        await context.close().catch(() => {});
        await opened.close().catch(() => {});
        await server.stop();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => {});
    await server.stop();
    throw err;
  }
}

/**
 * Signs a new email account up through the sign-up screen, then verifies the email on the dashboard
 * with the code from the outbox, as a person would: the sign-up credits come with the verification
 * (decision 051).
 */
export async function signUpInBrowser(s: BrowserSession, email: string, password: string): Promise<void> {
  await s.page.goto(s.url('/signup'));
  await s.page.getByRole('textbox', { name: 'Email' }).fill(email);
  await s.page.getByLabel('Password', { exact: true }).fill(password);
  await s.page.getByRole('button', { name: 'Create account' }).click();
  await s.page.waitForURL('**/dashboard');
  const row = s.page.getByTestId('email-verification');
  await row.getByRole('button', { name: 'Send code' }).click();
  const codeInput = row.getByRole('textbox', { name: 'Verification code' });
  await codeInput.waitFor({ state: 'visible' });
  await codeInput.fill(await latestCode(s.server.baseUrl, email));
  await row.getByRole('button', { name: 'Verify', exact: true }).click();
  await s.page.locator('[data-testid="email-status"]', { hasText: /^Verified$/ }).waitFor();
}
