/**
 * Browser end-to-end test of the signed-in screens: buying credits, the image library, exporting
 * the account's data and deleting the account.
 *
 * Real: the Atelier server (`node src/main.ts start`: API, in-process workers, the built web app)
 * on a fresh embedded database, cookie sessions with CSRF, uploads through sharp to local disk, the
 * export job run by the server's own worker, and headless Chromium (Debian's) via playwright-core.
 * Stand-ins: the payment gateway is the `manual` provider (ATELIER_PAYMENTS_MANUAL=on), completed
 * by the "Mark as paid" button as a gateway's confirmation would; images are generated with sharp.
 *
 * Skipped like the sign-up test: without Chromium outside CI, and in the PostgreSQL pass.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, openBrowserSession, ROOT, signUpInBrowser, skipReason, STEP_TIMEOUT, textOf, type BrowserSession } from './harness.ts';

if (skipReason || !hasChromium) {
  describe.skip(`signed-in screens in a browser (skipped: ${skipReason ?? 'no Chromium'})`, () => {
    it('buys credits, uploads, exports and deletes', () => {});
  });
} else {
  describe('signed-in screens in a browser', () => {
    let s: BrowserSession;
    let page: Page;
    const email = `studio-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
    const password = 'correct-horse-42';

    beforeAll(async () => {
      s = await openBrowserSession({ ATELIER_PAYMENTS_MANUAL: 'on' });
      page = s.page;
      await signUpInBrowser(s, email, password);
    }, STEP_TIMEOUT);

    afterAll(async () => s?.close(), 30_000);

    it(
      'buys a credit package and sees the balance and the ledger move',
      async () => {
        await page.getByTestId('buy-credits').click();
        await page.waitForURL('**/billing');
        expect(await textOf(page, 'billing-balance')).toBe('2');
        const starter = page.getByTestId('package-Starter');
        const credits = Number(/(\d+) credits/.exec((await starter.textContent()) ?? '')?.[1]);
        expect(credits).toBeGreaterThan(0);
        await starter.getByRole('button', { name: 'Buy' }).click();
        await page.getByTestId('checkout-pay').click();
        await page.getByTestId('complete-payment').click();
        expect(await textOf(page, 'payment-outcome')).toContain(`${credits} credits`);
        await expect.poll(() => textOf(page, 'billing-balance')).toBe(String(2 + credits));
        await expect.poll(() => textOf(page, 'topbar-credits')).toBe(`${2 + credits} credits`);
        await expect.poll(() => page.getByTestId('transactions').locator('tbody tr').count()).toBe(2);
        await page.screenshot({ path: path.join(ROOT, 'test-results/billing.png'), fullPage: true });
      },
      STEP_TIMEOUT,
    );

    it(
      'uploads an image to the library, shows its thumbnail and keeps it as a favourite',
      async () => {
        await page.getByRole('link', { name: 'Library' }).click();
        await page.waitForURL('**/library');
        await page.getByTestId('library-empty').waitFor();
        const png = await sharp({ create: { width: 320, height: 200, channels: 3, background: { r: 30, g: 140, b: 90 } } }).png().toBuffer();
        await page.getByTestId('upload-input').setInputFiles({ name: 'meadow.png', mimeType: 'image/png', buffer: png });
        const tile = page.getByTestId('asset-tile');
        await tile.waitFor();
        expect(await tile.textContent()).toContain('320×200');
        // The thumbnail really loads (its signed link works in the browser, under the CSP).
        await expect.poll(() => tile.locator('img').evaluate((el) => (el as unknown as { complete: boolean; naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);

        await tile.getByRole('button', { name: 'Add to favourites' }).click();
        await tile.getByRole('button', { name: 'Remove from favourites' }).waitFor();
        await page.getByRole('radio', { name: 'Favourites' }).click();
        await expect.poll(() => page.getByTestId('asset-tile').count()).toBe(1);
        await page.screenshot({ path: path.join(ROOT, 'test-results/library.png'), fullPage: true });
      },
      STEP_TIMEOUT,
    );

    it(
      'exports the account data as a zip made by the worker',
      async () => {
        await page.getByRole('link', { name: 'Account' }).click();
        await page.waitForURL('**/account');
        await page.getByTestId('export-start').click();
        const link = page.getByTestId('export-download');
        await link.waitFor({ timeout: 60_000 });
        const href = await link.getAttribute('href');
        const res = await page.request.get(new URL(href!, s.server.baseUrl).toString());
        expect(res.status()).toBe(200);
        expect(res.headers()['content-type']).toBe('application/zip');
        const body = await res.body();
        expect(body.subarray(0, 2).toString()).toBe('PK');
        expect(body.includes(Buffer.from('meadow.png'))).toBe(true);
      },
      STEP_TIMEOUT,
    );

    it(
      'deletes the account after the password is confirmed, and cannot sign in again',
      async () => {
        await page.getByRole('button', { name: 'Delete my account…' }).click();
        await page.getByLabel('Your password, to confirm').fill('not-my-password');
        await page.getByTestId('erase-confirm').click();
        expect(await textOf(page, 'erase-error')).toContain('password');
        await page.getByLabel('Your password, to confirm').fill(password);
        await page.getByTestId('erase-confirm').click();
        await page.waitForURL('**/signin');
        await page.getByText('Your account has been deleted').waitFor();

        await page.getByRole('textbox', { name: 'Email' }).fill(email);
        await page.getByLabel('Password', { exact: true }).fill(password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByTestId('form-error').waitFor();
        expect(s.problems).toEqual([]);
      },
      STEP_TIMEOUT,
    );
  });
}
