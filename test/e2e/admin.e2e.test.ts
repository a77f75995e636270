/**
 * Browser test of the admin console: an administrator signs in, finds a user, disables and enables
 * them again, adjusts their credits, verifies a vendor, edits a credit package, records a template's
 * metrics and corrects them (reading them back from the server), previews an email template, reads
 * the analytics charts and finds each of those writes in the audit log; then the console's main
 * screens, in English and in Persian on a 360 px phone, pass axe (nothing serious or critical)
 * without sideways scrolling, and their screenshots are kept.
 *
 * Real: the Atelier server (`node src/main.ts start`, the built web app) on a fresh embedded
 * database with its administrator made from ATELIER_ADMIN_EMAIL / ATELIER_ADMIN_PASSWORD, as an
 * installation makes it; the admin API; cookie sessions; axe-core in the page; headless Chromium.
 * Stand-in: email delivery (the dev outbox); the two other accounts are registered through the API.
 *
 * Skipped like the other browser tests: without Chromium outside CI, and in the PostgreSQL pass.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, PHONE, SHOTS } from './axe.ts';
import { hasChromium, openBrowserSession, skipReason, STEP_TIMEOUT, textOf, type BrowserSession } from './harness.ts';

const tag = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
const ADMIN = { email: `admin-${tag}@example.com`, password: 'correct-horse-admin-42' };
const PERSON = `person-${tag}@example.com`;
const VENDOR = `vendor-${tag}@example.com`;

/** The console's main screens, where each lives and what shows when it is ready. */
const SCREENS = [
  { name: 'admin-users', path: '/admin/users', ready: 'admin-users' },
  { name: 'admin-user', path: '', ready: 'admin-user-actions' },
  { name: 'admin-payments', path: '/admin/payments', ready: 'admin-empty' },
  { name: 'admin-generations', path: '/admin/generations', ready: 'admin-empty' },
  { name: 'admin-catalogue', path: '/admin/catalogue/packages', ready: 'admin-resource-table' },
  { name: 'admin-template-metrics', path: '/admin/catalogue/templates', ready: 'admin-resource-table', open: 'admin-resource-panel', shows: 'admin-metrics-table' },
  { name: 'admin-analytics', path: '/admin/analytics', ready: 'admin-chart-credits' },
  { name: 'admin-emails', path: '/admin/emails', ready: 'admin-email-open-email_verify-en' },
  { name: 'admin-audit', path: '/admin/audit', ready: 'admin-audit' },
  { name: 'admin-system', path: '/admin/system', ready: 'admin-invariants' },
] as const;

/** Opens a screen in `lang`, checks it with axe and for sideways scrolling, and keeps its screenshot. */
async function checkAdminScreen(s: BrowserSession, lang: 'en' | 'fa', screen: { name: string; path: string; ready: string; open?: string; shows?: string }): Promise<void> {
  await s.page.goto(s.url(screen.path));
  await s.page.getByTestId(screen.ready).waitFor();
  // A screen opened from the list's first row (a template's metrics).
  if (screen.open && screen.shows) {
    await s.page.getByTestId(screen.open).first().click();
    await s.page.getByTestId(screen.shows).waitFor();
  }
  await s.page.locator(`html[lang="${lang}"]`).waitFor();
  await checkPage(s.page, `${lang}-${screen.name}`);
}

async function register(baseUrl: string, body: Record<string, string>): Promise<void> {
  const res = await fetch(`${baseUrl}/api/v1/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(201);
}

/** From the users list to one user's detail, by searching for their email. */
async function openUser(page: Page, url: (p: string) => string, email: string): Promise<void> {
  await page.goto(url('/admin/users'));
  await page.getByRole('searchbox', { name: 'Email, phone or name' }).fill(email);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: email }).click();
  await page.getByTestId('admin-user-actions').waitFor();
}

if (skipReason || !hasChromium) {
  describe.skip(`the admin console in a browser (skipped: ${skipReason ?? 'no Chromium'})`, () => {
    it('manages users, the catalogue and email, and shows analytics and the audit log', () => {});
  });
} else {
  describe('the admin console', () => {
    let s: BrowserSession;
    let page: Page;
    /** The person's detail page, found in the first test. */
    let personPath = '';

    beforeAll(async () => {
      fs.mkdirSync(SHOTS, { recursive: true });
      s = await openBrowserSession({ ATELIER_ADMIN_EMAIL: ADMIN.email, ATELIER_ADMIN_PASSWORD: ADMIN.password, ATELIER_PAYMENTS_MANUAL: 'on' });
      page = s.page;
      await register(s.server.baseUrl, { email: PERSON, password: 'correct-horse-42' });
      await register(s.server.baseUrl, { email: VENDOR, password: 'correct-horse-42', account_type: 'vendor', business_name: `Lumen Prints ${tag}` });
    }, STEP_TIMEOUT);

    afterAll(async () => s?.close(), 30_000);

    it(
      'signs in, manages a user and a vendor, edits a package, previews an email, and sees it all in the audit log',
      async () => {
        await page.goto(s.url('/signin'));
        await page.getByRole('textbox', { name: 'Email' }).fill(ADMIN.email);
        await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL('**/dashboard');
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
        await page.getByTestId('admin-users').waitFor();

        // A user: disabled (after a confirmation), enabled again, and given credits with a reason.
        await openUser(page, s.url, PERSON);
        personPath = new URL(page.url()).pathname;
        expect(await textOf(page, 'admin-user-status')).toBe('Active');
        await page.getByTestId('admin-disable').click();
        await page.getByTestId('admin-disable-confirm').click();
        await page.locator('[data-testid="admin-user-status"]', { hasText: /^Disabled$/ }).waitFor();
        await page.getByTestId('admin-enable').click();
        await page.locator('[data-testid="admin-user-status"]', { hasText: /^Active$/ }).waitFor();
        await page.getByRole('button', { name: 'Adjust' }).click();
        expect(await textOf(page, 'admin-credits-amount-error')).toBe('Enter a whole number other than zero.');
        await page.getByLabel('Credits', { exact: true }).fill('5');
        await page.getByLabel('Reason').fill('Goodwill after a support call');
        await page.getByRole('button', { name: 'Adjust' }).click();
        await page.locator('[data-testid="admin-user-available"]', { hasText: /^5$/ }).waitFor();

        // A vendor: verified.
        await openUser(page, s.url, VENDOR);
        await page.getByRole('button', { name: 'Verify vendor' }).click();
        await page.getByRole('button', { name: 'Remove verification' }).waitFor();

        // A credit package: its description changed, and kept.
        await page.goto(s.url('/admin/catalogue/packages'));
        await page.getByTestId('admin-resource-edit').first().click();
        await page.getByLabel('Description').fill('Changed from the admin console');
        await page.getByTestId('admin-resource-save').click();
        expect(await textOf(page, 'admin-notice')).toBe('Saved.');
        await page.getByTestId('admin-resource-edit').first().click();
        expect(await page.getByLabel('Description').inputValue()).toBe('Changed from the admin console');
        await page.getByRole('button', { name: 'Cancel' }).click();

        // A template's metrics: a wrong rate is refused in the form, a measurement is recorded and kept.
        await page.goto(s.url('/admin/catalogue/templates'));
        await page.getByTestId('admin-resource-panel').first().click();
        await page.getByTestId('admin-template-metrics').waitFor();
        await page.getByLabel('Impressions').fill('12000');
        await page.getByLabel('Click-through rate (%)').fill('150');
        await page.getByTestId('admin-metrics-save').click();
        expect(await textOf(page, 'metric-ctr-error')).toBe('Enter a percentage from 0 to 100 with at most two decimals.');
        await page.getByLabel('Click-through rate (%)').fill('3.25');
        await page.getByLabel('Conversion rate (%)').fill('1.5');
        await page.getByTestId('admin-metrics-save').click();
        expect(await textOf(page, 'admin-metrics-notice')).toBe('Recorded.');
        await page.getByTestId('admin-metrics-table').getByRole('cell', { name: '3.25%' }).waitFor();
        const kept = () =>
          page.evaluate(async () => {
            const first = ((await (await fetch('/api/v1/admin/templates')).json()) as { data: Array<{ id: string }> }).data[0]!;
            return ((await (await fetch(`/api/v1/admin/templates/${first.id}/metrics`)).json()) as { data: unknown[] }).data;
          });
        expect(await kept()).toContainEqual(expect.objectContaining({ impressions: 12000, ctr: 0.0325, conversion_rate: 0.015, engagement_rate: null }));
        // Corrected from its row: the form holds its values; an emptied rate is cleared.
        await page.getByTestId('admin-metrics-table').getByRole('row').filter({ hasText: '3.25%' }).getByTestId('admin-metrics-correct').click();
        expect(await page.getByLabel('Impressions').inputValue()).toBe('12000');
        await page.getByLabel('Impressions').fill('15000');
        await page.getByLabel('Conversion rate (%)').fill('');
        await page.getByTestId('admin-metrics-save').click();
        expect(await textOf(page, 'admin-metrics-notice')).toBe('Saved.');
        expect(await kept()).toContainEqual(expect.objectContaining({ impressions: 15000, ctr: 0.0325, conversion_rate: null }));
        await page.getByRole('button', { name: 'Close', exact: true }).click();

        // An email template, rendered by the server with sample values.
        await page.goto(s.url('/admin/emails'));
        await page.getByTestId('admin-email-open-email_verify-en').click();
        await page.getByTestId('admin-email-preview').click();
        expect((await textOf(page, 'admin-email-rendered-subject')).length).toBeGreaterThan(0);
        expect(await page.locator('iframe[title="HTML preview"][sandbox=""]').count()).toBe(1);

        // Analytics: the credit adjustment is in the credits chart, drawn.
        await page.goto(s.url('/admin/analytics'));
        await page.getByTestId('admin-overview').getByText('Users', { exact: true }).waitFor();
        await page.getByTestId('admin-chart-credits').locator('svg.recharts-surface').first().waitFor();
        await page.getByTestId('admin-chart-credits').getByText('Show the figures').click();
        await page.getByTestId('admin-chart-credits').getByRole('cell', { name: '5', exact: true }).first().waitFor();

        // The audit log shows each write.
        await page.goto(s.url('/admin/audit'));
        await page.getByTestId('admin-audit').waitFor();
        const actions = await page.getByTestId('admin-audit-action').allTextContents();
        for (const action of ['user.disabled', 'user.enabled', 'billing.credits.adjust', 'vendor.verified', 'billing.package.update', 'catalog.template.metrics', 'catalog.template.metrics.update']) expect(actions).toContain(action);
        expect(s.problems).toEqual([]);
      },
      STEP_TIMEOUT,
    );

    it(
      'passes axe on its main screens in English and in Persian on a phone, without sideways scrolling',
      async () => {
        await page.setViewportSize(PHONE);
        const screens = SCREENS.map((x) => (x.path ? x : { ...x, path: personPath }));
        for (const screen of screens) await checkAdminScreen(s, 'en', screen);
        await page.getByTestId('menu-button').click();
        await page.getByTestId('language-switcher').selectOption('fa');
        await page.locator('html[lang="fa"][dir="rtl"]').waitFor();
        for (const screen of screens) await checkAdminScreen(s, 'fa', screen);
        expect(s.problems).toEqual([]);
      },
      STEP_TIMEOUT * 2,
    );

    it(
      'is not offered to anyone else: no menu item, and the address says it is for administrators',
      async () => {
        const other = await s.browser.newContext();
        try {
          const p = await other.newPage();
          p.setDefaultTimeout(30_000);
          await p.goto(s.url('/signin'));
          await p.getByRole('textbox', { name: 'Email' }).fill(PERSON);
          await p.getByLabel('Password', { exact: true }).fill('correct-horse-42');
          await p.getByRole('button', { name: 'Sign in' }).click();
          await p.waitForURL('**/dashboard');
          expect(await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count()).toBe(0);
          await p.goto(s.url('/admin/users'));
          expect(await textOf(p, 'admin-forbidden')).toBe('Only administrators can open the admin console.');
        } finally {
          await other.close();
        }
      },
      STEP_TIMEOUT,
    );

    it(
      'refunds a payment in part from its row; the row then shows what came back',
      async () => {
        // The person buys the smallest credit pack through the manual provider.
        const api = async (method: string, path: string, token?: string, body?: unknown) => {
          const res = await fetch(`${s.server.baseUrl}/api/v1${path}`, {
            method,
            headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
            ...(body ? { body: JSON.stringify(body) } : {}),
          });
          expect(res.ok, `${method} ${path}: ${res.status}`).toBe(true);
          return (await res.json()) as any;
        };
        const { access_token: token, user } = await api('POST', '/auth/login', undefined, { email: PERSON, password: 'correct-horse-42' });
        const pack = (await api('GET', '/billing/packages')).data.sort((a: any, b: any) => a.amount_minor - b.amount_minor)[0];
        const { payment } = await api('POST', '/billing/checkout', token, { package_id: pack.id, provider: 'manual' });
        await api('POST', `/billing/manual/${payment.id}/complete`, token);

        await page.goto(s.url(`/admin/payments?user_id=${user.id}`));
        const row = page.getByTestId(`refund-${payment.id}`);
        await row.locator('summary').click();
        await row.getByTestId('refund-amount').fill('100');
        await row.getByTestId('refund-reason').fill('Asked for part of it back');
        await row.getByTestId('refund-submit').click();
        await page.getByTestId(`refund-done-${payment.id}`).waitFor();
        const refunded = (await api('GET', '/billing/payments', token)).data.find((p: any) => p.id === payment.id);
        expect(refunded).toMatchObject({ status: 'completed', refunded_minor: 100 });
        expect(s.problems).toEqual([]);
      },
      STEP_TIMEOUT,
    );
  });
}
