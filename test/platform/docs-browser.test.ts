/**
 * The /api/docs reference page in a real browser with no network: it must render the operations
 * from the app's own OpenAPI document under the app's own CSP, fetching nothing from elsewhere.
 * Real: buildApp() (through createTestApp) listening on a local port, helmet's CSP, Swagger UI's
 * files from the package, headless Chromium (/usr/bin/chromium) driven by playwright-core.
 * Stand-in: "offline" is every request to another host being aborted (and recorded) by the browser
 * context. Skipped when Chromium is not installed.
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('/api/docs in a browser, offline', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp();
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renders the API operations using only local assets and no CSP violations', { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    const foreign: string[] = [];
    const problems: string[] = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin === baseUrl) return route.continue();
      foreign.push(url.href);
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(String(err)));
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`);
    });

    await page.goto(`${baseUrl}/api/docs`, { waitUntil: 'load' });
    await page.waitForSelector('.opblock-summary-path', { timeout: 20_000 });
    // Operations are drawn only near the viewport: gather what shows while scrolling down the page.
    const seen = new Set<string>();
    for (let i = 0; i < 40 && !seen.has('/api/v1/me'); i++) {
      for (const p of await page.$$eval('.opblock-summary-path', (els) => els.map((e) => e.getAttribute('data-path') ?? e.textContent ?? ''))) seen.add(p);
      await page.evaluate('window.scrollBy(0, window.innerHeight)');
      await page.waitForTimeout(100);
    }
    const paths = [...seen];
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/auth/register', '/api/v1/me']));
    expect(await page.textContent('.title')).toContain('Atelier API');

    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
