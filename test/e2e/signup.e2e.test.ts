/**
 * Browser end-to-end test of the first web screens: sign up, dashboard, email verification,
 * sign out, sign in.
 *
 * Real: the Atelier server (`node src/main.ts start` as a child process, API + workers + the built
 * web app), its embedded PGlite database in a fresh temp data dir, cookie sessions with CSRF, and a
 * real headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core.
 * Stand-in: email delivery. ATELIER_DEV_OUTBOX=on keeps sent messages in the outbox, and the test
 * reads the verification code from GET /api/v1/dev/outbox instead of a mailbox.
 *
 * Needs `npm run build:web` first (`npm test` does it). Skipped without Chromium outside CI
 * (`apt-get install chromium`), and in the PostgreSQL pass (TEST_DATABASE_URL), which runs server
 * tests only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WEB_INDEX = path.join(ROOT, 'web/dist/index.html');
const SCREENSHOT = path.join(ROOT, 'test-results/dashboard.png');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const STEP_TIMEOUT = 120_000;

const hasChromium = fs.existsSync(CHROMIUM);
const skipReason = process.env.TEST_DATABASE_URL
  ? 'TEST_DATABASE_URL is set (the PostgreSQL pass runs server tests only)'
  : !hasChromium && !process.env.CI
    ? `${CHROMIUM} not found; install it with \`apt-get install chromium\` to run the browser tests`
    : null;

// ---------------------------------------------------------------------------------------------
// The server under test

interface Server {
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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

async function startServer(): Promise<Server> {
  const port = await freePort();
  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'atelier-e2e-'));
  const baseUrl = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ['src/main.ts', 'start'], {
    cwd: ROOT,
    env: serverEnv(port, dataDir),
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
async function latestCode(baseUrl: string, to: string): Promise<string> {
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
async function textOf(page: Page, testId: string): Promise<string> {
  const el = page.getByTestId(testId);
  await el.waitFor({ state: 'visible' });
  return ((await el.textContent()) ?? '').trim();
}

/** Page errors and CSP violations: the app must run clean under the server's CSP. */
function watchForProblems(page: Page, into: string[]): void {
  page.on('pageerror', (err) => into.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) into.push(`CSP: ${msg.text()}`);
  });
}

// ---------------------------------------------------------------------------------------------

if (skipReason) {
  describe.skip(`web app in a browser (skipped: ${skipReason})`, () => {
    it('signs up, verifies, signs out and in', () => {});
  });
  process.stderr.write(`\n[e2e] skipping the browser tests: ${skipReason}\n`);
} else if (!hasChromium) {
  describe('web app in a browser', () => {
    it('needs Chromium', () => {
      throw new Error(`${CHROMIUM} is missing, and CI is set: install it with \`apt-get install chromium\` (see .ci/run)`);
    });
  });
} else {
  describe('web app in a browser', () => {
    let server: Server | undefined;
    let browser: Browser | undefined;
    let context: BrowserContext | undefined;
    let page: Page;
    const problems: string[] = [];

    const email = `e2e-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
    const password = 'correct-horse-42';
    const fullName = 'Ada Lovelace';
    const url = (p: string) => `${server!.baseUrl}${p}`;

    beforeAll(async () => {
      if (!fs.existsSync(WEB_INDEX)) {
        throw new Error(`${WEB_INDEX} does not exist: build the web app first with \`npm run build:web\` (\`npm test\` does this)`);
      }
      server = await startServer();
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      page.setDefaultTimeout(30_000);
      watchForProblems(page, problems);
    }, STEP_TIMEOUT);

    afterAll(async () => {
      await context?.close().catch(() => {});
      await browser?.close().catch(() => {});
      await server?.stop();
    }, 30_000);

    it(
      'signs up a new email user and lands on the dashboard with the sign-up credits',
      async () => {
        await page.goto(url('/'));
        // `/` without a session shows sign-in, which links to sign-up.
        await page.waitForURL('**/signin');
        await page.getByRole('link', { name: 'Create an account' }).click();
        await page.waitForURL('**/signup');

        await page.getByRole('textbox', { name: 'Email' }).fill(email);
        await page.getByLabel('Password', { exact: true }).fill(password);
        await page.getByRole('textbox', { name: 'Full name' }).fill(fullName);
        await page.getByRole('button', { name: 'Create account' }).click();

        await page.waitForURL('**/dashboard');
        expect(await textOf(page, 'credit-balance')).toBe('2');
        expect(await textOf(page, 'greeting')).toContain(fullName);
        expect((await textOf(page, 'role')).toLowerCase()).toBe('user');
        expect(await textOf(page, 'email-status')).toBe('Not verified');
        expect(await page.getByTestId('credit-held').count()).toBe(0);
      },
      STEP_TIMEOUT,
    );

    it(
      'keeps the cookie session across a reload',
      async () => {
        await page.reload();
        await page.waitForURL('**/dashboard');
        expect(await textOf(page, 'credit-balance')).toBe('2');
        expect(await textOf(page, 'greeting')).toContain(fullName);
        // The tokens live in httpOnly cookies; page scripts see only the CSRF cookie.
        const visible = await page.evaluate<string>('document.cookie');
        expect(visible).toContain('atelier_csrf=');
        expect(visible).not.toContain('atelier_access');
        expect(visible).not.toContain('atelier_refresh');

        // Without the access cookie (as when it expires), /me answers 401 and the app refreshes once.
        await context!.clearCookies({ name: 'atelier_access' });
        await page.reload();
        await page.waitForURL('**/dashboard');
        expect(await textOf(page, 'credit-balance')).toBe('2');
        const names = (await context!.cookies()).map((c) => c.name);
        expect(names).toContain('atelier_access');
      },
      STEP_TIMEOUT,
    );

    it(
      'verifies the email with a code from the outbox',
      async () => {
        const row = page.getByTestId('email-verification');
        await row.getByRole('button', { name: 'Send code' }).click();
        const codeInput = row.getByRole('textbox', { name: 'Verification code' });
        await codeInput.waitFor({ state: 'visible' });

        const code = await latestCode(server!.baseUrl, email);
        expect(code).toMatch(/^\d{6}$/);
        await codeInput.fill(code);
        await row.getByRole('button', { name: 'Verify', exact: true }).click();

        await page.locator('[data-testid="email-status"]', { hasText: /^Verified$/ }).waitFor();
        expect(await textOf(page, 'email-status')).toBe('Verified');
        expect(await row.getByRole('button', { name: 'Send code' }).count()).toBe(0);
      },
      STEP_TIMEOUT,
    );

    it(
      'signs out, and signs in again with the same credentials',
      async () => {
        await page.getByTestId('sign-out').click();
        await page.waitForURL('**/signin');
        expect(await textOf(page, 'notice')).toContain('signed out');

        // Signed out for real: the dashboard sends us back to sign-in.
        await page.goto(url('/dashboard'));
        await page.waitForURL('**/signin');

        await page.getByRole('textbox', { name: 'Email' }).fill(email);
        await page.getByLabel('Password', { exact: true }).fill(password);
        await page.getByRole('button', { name: 'Sign in' }).click();

        await page.waitForURL('**/dashboard');
        expect(await textOf(page, 'credit-balance')).toBe('2');
        expect(await textOf(page, 'email-status')).toBe('Verified');
        expect(await textOf(page, 'greeting')).toContain(fullName);
      },
      STEP_TIMEOUT,
    );

    it(
      'shows errors: a wrong password, a short password, a taken email',
      async () => {
        // A fresh context is a fresh browser profile: no session.
        const other = await browser!.newContext();
        try {
          const p = await other.newPage();
          p.setDefaultTimeout(30_000);
          watchForProblems(p, problems);

          await p.goto(url('/signin'));
          await p.getByRole('textbox', { name: 'Email' }).fill(email);
          await p.getByLabel('Password', { exact: true }).fill('not-the-password');
          await p.getByRole('button', { name: 'Sign in' }).click();
          expect(await textOf(p, 'form-error')).toContain('The credentials are not valid.');
          expect(new URL(p.url()).pathname).toBe('/signin');

          await p.getByRole('link', { name: 'Create an account' }).click();
          await p.waitForURL('**/signup');
          await p.getByRole('textbox', { name: 'Email' }).fill(`short-${email}`);
          await p.getByLabel('Password', { exact: true }).fill('short');
          await p.getByRole('button', { name: 'Create account' }).click();
          // Field errors from the problem's `errors` show next to the field they name.
          expect(await textOf(p, 'signup-password-error')).toContain('8');

          await p.getByRole('textbox', { name: 'Email' }).fill(email);
          await p.getByLabel('Password', { exact: true }).fill(password);
          await p.getByRole('button', { name: 'Create account' }).click();
          // 409 conflict: its `detail` is shown.
          await p.locator('[data-testid="form-error"]', { hasText: 'already exists' }).waitFor();
          expect(new URL(p.url()).pathname).toBe('/signup');
        } finally {
          await other.close();
        }
      },
      STEP_TIMEOUT,
    );

    it(
      'ran without page errors or CSP violations, and the dashboard is still signed in',
      async () => {
        expect(problems).toEqual([]);
        await page.reload();
        await page.waitForURL('**/dashboard');
        expect(await textOf(page, 'credit-balance')).toBe('2');
        await fsp.mkdir(path.dirname(SCREENSHOT), { recursive: true });
        await page.screenshot({ path: SCREENSHOT, fullPage: true });
      },
      STEP_TIMEOUT,
    );
  });
}
