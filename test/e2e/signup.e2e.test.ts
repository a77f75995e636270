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
import path from 'node:path';
import fsp from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, latestCode, openBrowserSession, ROOT, skipReason, STEP_TIMEOUT, textOf, watchForProblems, type BrowserSession } from './harness.ts';

const SCREENSHOT = path.join(ROOT, 'test-results/dashboard.png');

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
    let s: BrowserSession;
    let page: Page;

    const email = `e2e-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
    const password = 'correct-horse-42';
    const fullName = 'Ada Lovelace';
    const url = (p: string) => s.url(p);

    beforeAll(async () => {
      s = await openBrowserSession();
      page = s.page;
    }, STEP_TIMEOUT);

    afterAll(async () => s?.close(), 30_000);

    it(
      'signs up a new email user and lands on the dashboard, told to verify for the sign-up credits',
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
        // The sign-up credits come with the first verification (decision 051).
        expect(await textOf(page, 'credit-balance')).toBe('0');
        expect(await textOf(page, 'verify-hint')).toContain('welcome credits');
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
        expect(await textOf(page, 'credit-balance')).toBe('0');
        expect(await textOf(page, 'greeting')).toContain(fullName);
        // The tokens live in httpOnly cookies; page scripts see only the CSRF cookie.
        const visible = await page.evaluate<string>('document.cookie');
        expect(visible).toContain('atelier_csrf=');
        expect(visible).not.toContain('atelier_access');
        expect(visible).not.toContain('atelier_refresh');

        // Without the access cookie (as when it expires), /me answers 401 and the app refreshes once.
        await s.context.clearCookies({ name: 'atelier_access' });
        await page.reload();
        await page.waitForURL('**/dashboard');
        expect(await textOf(page, 'credit-balance')).toBe('0');
        const names = (await s.context.cookies()).map((c) => c.name);
        expect(names).toContain('atelier_access');
      },
      STEP_TIMEOUT,
    );

    it(
      'verifies the email with a code from the outbox, which brings the sign-up credits',
      async () => {
        const row = page.getByTestId('email-verification');
        await row.getByRole('button', { name: 'Send code' }).click();
        const codeInput = row.getByRole('textbox', { name: 'Verification code' });
        await codeInput.waitFor({ state: 'visible' });

        const code = await latestCode(s.server.baseUrl, email);
        expect(code).toMatch(/^\d{6}$/);
        await codeInput.fill(code);
        await row.getByRole('button', { name: 'Verify', exact: true }).click();

        await page.locator('[data-testid="email-status"]', { hasText: /^Verified$/ }).waitFor();
        expect(await textOf(page, 'email-status')).toBe('Verified');
        expect(await row.getByRole('button', { name: 'Send code' }).count()).toBe(0);
        await page.locator('[data-testid="credit-balance"]', { hasText: /^2$/ }).waitFor();
        expect(await page.getByTestId('verify-hint').count()).toBe(0);
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
        const other = await s.browser.newContext();
        try {
          const p = await other.newPage();
          p.setDefaultTimeout(30_000);
          watchForProblems(p, s.problems);

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
        expect(s.problems).toEqual([]);
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
