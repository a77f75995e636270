/**
 * Browser test of the print-prep product (ATELIER_PRESET=print-prep): a new user signs up, uploads
 * a design, upscales it, then removes the background of the upscaled result (a chain: the first
 * step's output is the second step's source), compares before and after with the keyboard, puts
 * both results in a new collection and downloads it as a zip; then the screen is checked with axe
 * on a 360 px phone in English and in Persian.
 *
 * Real: the Atelier server (`node src/main.ts start` with the preset) on a fresh embedded database,
 * cookie sessions, the generation engine with the `local` provider (sharp, the segmenter) and the
 * event stream, collections and the zip, headless Chromium via playwright-core, axe-core.
 * Stand-ins: email delivery (the dev outbox) for the verification code. The server also offers
 * Persian (ATELIER_LOCALES=en,fa). The design is made with sharp.
 *
 * Skipped like the other browser tests: without Chromium outside CI, and in the PostgreSQL pass.
 */
import fs from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, skipReason, STEP_TIMEOUT, textOf, type BrowserSession } from './harness.ts';
import { checkBothLanguages, openProductSession, productPhoto } from './product-flows.ts';

if (skipReason || !hasChromium) {
  describe.skip(`print prep in a browser (skipped: ${skipReason ?? 'no Chromium'})`, () => {
    it('chains operations and zips a collection', () => {});
  });
} else {
  describe('print prep in a browser', () => {
    let s: BrowserSession;
    let page: Page;

    beforeAll(async () => {
      s = await openProductSession('print-prep');
      page = s.page;
    }, STEP_TIMEOUT);

    afterAll(async () => s?.close(), 30_000);

    /** Runs the operation on the current source and waits for step `n` to finish. */
    async function runStep(op: string, n: number): Promise<void> {
      await page.getByTestId(`op-${op}`).click();
      await page.getByTestId('prep-run').click();
      const step = page.getByTestId('prep-step').nth(n - 1);
      await step.waitFor();
      await page.locator(`[data-testid="prep-step"]:nth-child(${n})[data-status="completed"]`).waitFor({ timeout: 120_000 });
      await step.getByTestId('compare').waitFor();
    }

    it(
      'upscales a design, cuts the result out, compares, collects both results and downloads the zip',
      async () => {
        await page.getByRole('navigation').getByRole('link', { name: 'Prepare for print' }).click();
        await page.waitForURL('**/print-prep');
        await page.getByTestId('prep-empty').waitFor();

        await page.getByTestId('prep-form').getByTestId('studio-upload-input').setInputFiles({ name: 'design.png', mimeType: 'image/png', buffer: await productPhoto(220, 'png') });
        await expect.poll(() => page.locator('[data-testid="source-option"] input:checked').count()).toBe(1);

        await runStep('upscale', 1);
        // The chain: the next step runs on step 1's result.
        expect(await textOf(page, 'chain-source')).toContain('step 1');
        await runStep('background_removal', 2);
        const steps = page.getByTestId('prep-step');
        expect(await steps.nth(1).textContent()).toContain('image/png');

        // The compare slider moves with the keyboard.
        const slider = steps.nth(1).getByTestId('compare-slider');
        await slider.focus();
        await page.keyboard.press('Home');
        expect(await slider.inputValue()).toBe('0');
        await page.keyboard.press('End');
        expect(await slider.inputValue()).toBe('100');

        await page.getByLabel('Collection name').fill('Order 1042');
        await page.getByTestId('collection-add').click();
        await page.getByTestId('collection-added').waitFor();
        const row = page.getByTestId('collection-row').filter({ hasText: 'Order 1042' });
        await expect.poll(async () => (await row.textContent()) ?? '').toContain('2 items');

        const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('collection-zip').click()]);
        expect(download.suggestedFilename()).toBe('Order 1042.zip');
        const bytes = await fs.readFile((await download.path())!);
        expect(bytes.subarray(0, 2).toString()).toBe('PK');
        expect(bytes.includes(Buffer.from('metadata.json'))).toBe(true);
        // Two credits of sign-up, two steps.
        await expect.poll(() => textOf(page, 'topbar-credits')).toBe('0 credits');

        await checkBothLanguages(page, 'print-prep', 'prep-step');
        expect(s.problems).toEqual([]);
      },
      4 * STEP_TIMEOUT,
    );
  });
}
