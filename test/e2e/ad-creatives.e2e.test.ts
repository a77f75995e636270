/**
 * Browser test of the ad-creatives product (ATELIER_PRESET=ad-creatives): a new user signs up,
 * browses the template library by category, picks a template and sees its metrics, writes a
 * headline, copy, call to action and brand colour, uploads a product photo and gets a finished ad;
 * then the screen is checked with axe on a 360 px phone in English and in Persian.
 *
 * Real: the Atelier server (`node src/main.ts start` with the preset and its starter library) on a
 * fresh embedded database, cookie sessions, the generation engine with the `local` provider's ad
 * renderer and the event stream, headless Chromium via playwright-core, axe-core in the page.
 * Stand-ins: email delivery (the dev outbox) for the verification code. The server also offers
 * Persian (ATELIER_LOCALES=en,fa). The photo is made with sharp.
 *
 * Skipped like the other browser tests: without Chromium outside CI, and in the PostgreSQL pass.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, skipReason, STEP_TIMEOUT, textOf, type BrowserSession } from './harness.ts';
import { checkBothLanguages, openProductSession, productPhoto } from './product-flows.ts';

if (skipReason || !hasChromium) {
  describe.skip(`ad creatives in a browser (skipped: ${skipReason ?? 'no Chromium'})`, () => {
    it('makes an ad from a template', () => {});
  });
} else {
  describe('ad creatives in a browser', () => {
    let s: BrowserSession;
    let page: Page;

    beforeAll(async () => {
      s = await openProductSession('ad-creatives');
      page = s.page;
    }, STEP_TIMEOUT);

    afterAll(async () => s?.close(), 30_000);

    it(
      'browses templates by category, sees a template’s metrics and makes an ad from it with a product photo',
      async () => {
        await page.getByRole('navigation').getByRole('link', { name: 'Templates' }).click();
        await page.waitForURL('**/ad-creatives');
        await page.getByTestId('no-template').waitFor();
        const all = await (async () => {
          await page.getByTestId('template-card').first().waitFor();
          return page.getByTestId('template-card').count();
        })();
        expect(all).toBeGreaterThanOrEqual(12);

        // A category narrows the library.
        const seasonal = page.getByTestId('categories').getByRole('button', { name: 'Seasonal' });
        await seasonal.click();
        expect(await seasonal.getAttribute('aria-pressed')).toBe('true');
        await expect
          .poll(async () => {
            const n = await page.getByTestId('template-card').count();
            return n >= 2 && n < all;
          })
          .toBe(true);

        await page.getByTestId('template-card').first().getByTestId('use-template').click();
        const form = page.getByTestId('ad-form');
        await form.getByTestId('template-metrics').waitFor();
        expect(await textOf(page, 'template-metrics')).toContain('Click-through rate');

        // The headline is required: the form says so before anything is sent.
        await form.getByTestId('ad-submit').click();
        await form.getByTestId('ad-headline-error').waitFor();

        await form.getByLabel('Headline').fill('Fresh from the valley');
        await form.getByLabel('Copy (optional)').fill('Cold-pressed every morning.');
        await form.getByLabel('Call to action (optional)').fill('Order now');
        await form.getByLabel('Brand colour (optional)').fill('#c0392b');
        await form.getByTestId('studio-upload-input').setInputFiles({ name: 'bottle.jpg', mimeType: 'image/jpeg', buffer: await productPhoto(5) });
        await expect.poll(() => form.locator('[data-testid="source-option"] input:checked').count()).toBe(1);
        await form.getByTestId('ad-submit').click();

        const ad = page.getByTestId('generation-item').first();
        await ad.waitFor();
        await page.locator('[data-testid="generation-item"][data-status="completed"]').waitFor({ timeout: 120_000 });
        const output = ad.getByTestId('generation-output').locator('img');
        await expect.poll(() => output.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
        // The harness signs people up with 2 credits; the ad used one.
        await expect.poll(() => textOf(page, 'topbar-credits')).toBe('1 credit');

        await checkBothLanguages(page, 'ad-creatives', 'generation-item');
        expect(s.problems).toEqual([]);
      },
      4 * STEP_TIMEOUT,
    );
  });
}
