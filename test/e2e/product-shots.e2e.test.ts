/**
 * Browser test of the product-shots product (ATELIER_PRESET=product-shots): a new user signs up,
 * creates a product in the catalog (custom field, tags, an uploaded image), finds it by its tag,
 * edits it, runs a lifestyle shot on it and sees the shot finish live; then the product's page is
 * checked with axe on a 360 px phone in English and in Persian.
 *
 * Real: the Atelier server (`node src/main.ts start` with the preset) on a fresh embedded database,
 * cookie sessions, the catalog, the generation engine with the `local` provider and the event
 * stream, headless Chromium via playwright-core, axe-core in the page.
 * Stand-ins: email delivery (the dev outbox) for the verification code. The server also offers
 * Persian (ATELIER_LOCALES=en,fa). Images are made with sharp.
 *
 * Skipped like the other browser tests: without Chromium outside CI, and in the PostgreSQL pass.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, skipReason, STEP_TIMEOUT, textOf, type BrowserSession } from './harness.ts';
import { checkBothLanguages, openProductSession, productPhoto } from './product-flows.ts';

if (skipReason || !hasChromium) {
  describe.skip(`product shots in a browser (skipped: ${skipReason ?? 'no Chromium'})`, () => {
    it('creates a product and runs a shot', () => {});
  });
} else {
  describe('product shots in a browser', () => {
    let s: BrowserSession;
    let page: Page;

    beforeAll(async () => {
      s = await openProductSession('product-shots');
      page = s.page;
    }, STEP_TIMEOUT);

    afterAll(async () => s?.close(), 30_000);

    it(
      'creates a product with a custom field, tags and an image, edits it, and turns it into a finished shot',
      async () => {
        await page.getByRole('navigation').getByRole('link', { name: 'Catalog' }).click();
        await page.waitForURL('**/products');
        await page.getByTestId('catalog-empty').waitFor();

        await page.getByTestId('new-product').click();
        const form = page.getByTestId('product-form');
        await form.getByLabel('Product name').fill('Heritage wallpaper');
        await form.getByLabel('SKU (optional)').fill('DW-EH-01');
        await form.getByLabel('Tags (optional)').fill('bestseller, summer');
        await form.getByTestId('add-field').click();
        await form.getByLabel('Field', { exact: true }).fill('brand');
        await form.getByLabel('Value', { exact: true }).fill('Daga Wallpapers');
        await form.getByTestId('studio-upload-input').setInputFiles({ name: 'packshot.jpg', mimeType: 'image/jpeg', buffer: await productPhoto(10) });
        await expect.poll(() => form.locator('[data-testid="source-option"] input:checked').count()).toBe(1);
        await form.getByTestId('product-save').click();

        await page.waitForURL(/\/products\/[0-9a-f-]{36}$/);
        expect(await textOf(page, 'product-name-heading')).toBe('Heritage wallpaper');
        expect(await textOf(page, 'custom-fields')).toContain('Daga Wallpapers');

        // The catalog lists it and finds it by its tag.
        await page.getByRole('link', { name: '← All products' }).click();
        await page.getByTestId('product-card').waitFor();
        await page.getByLabel('Tag', { exact: true }).selectOption('summer');
        await expect.poll(() => page.getByTestId('product-card').count()).toBe(1);
        await page.getByLabel('Search by name or description').fill('no-such-thing');
        await page.getByTestId('catalog-empty').waitFor();
        await page.getByLabel('Search by name or description').fill('heritage');
        await page.getByTestId('product-card').getByRole('link', { name: 'Heritage wallpaper' }).first().click();

        // Edit: a new name is kept.
        await page.getByTestId('edit-product').click();
        await page.getByTestId('product-form').getByLabel('Product name').fill('Heritage wallpaper, blue');
        await page.getByTestId('product-save').click();
        await expect.poll(() => textOf(page, 'product-name-heading')).toBe('Heritage wallpaper, blue');

        // A lifestyle shot of it, followed live to its end.
        await page.getByTestId('shot-lifestyle').click();
        expect(await textOf(page, 'shot-cost')).toContain('Costs 1 credit');
        await page.getByTestId('run-shots').click();
        const shot = page.getByTestId('generation-item').first();
        await shot.waitFor();
        await page.locator('[data-testid="generation-item"][data-status="completed"]').waitFor({ timeout: 120_000 });
        const output = shot.getByTestId('generation-output').locator('img');
        await expect.poll(() => output.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
        // The harness signs people up with 2 credits; the shot used one.
        await expect.poll(() => textOf(page, 'topbar-credits')).toBe('1 credit');

        await checkBothLanguages(page, 'product-shots', 'generation-item');
        expect(s.problems).toEqual([]);
      },
      4 * STEP_TIMEOUT,
    );
  });
}
