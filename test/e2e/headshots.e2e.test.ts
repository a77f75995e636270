/**
 * The headshots product in the browser, as its first user meets it: sign-up, a credit pack bought,
 * a person added with three photos of which one is not an image (refused at upload) and one shows
 * two people (refused by the face check of the preparation, named under that photo), a fresh start
 * with the accepted photo and two more, the preparation followed live to `ready`, a batch of four
 * headshots on an office background, and the results grid. The main screens pass axe (no serious or
 * critical violation) in English and Persian on a 360 px phone without sideways scrolling; their
 * screenshots go to test-results/screenshots/ (docs/screenshots/ with UPDATE_SCREENSHOTS=1).
 *
 * Real: the Atelier server (`node src/main.ts start`, the built web app) with ATELIER_PRESET=headshots
 * on a fresh embedded database, the local provider (face-api's packaged models, the segmenter,
 * sharp), its workers, cookie sessions, headless Chromium via playwright-core, axe-core.
 * Stand-ins: the payment gateway is the `manual` provider, completed by "Mark as paid"; the photos
 * are portraits cut from the sample photos the face-api package ships (local/testing/portraits.ts).
 * The server also offers Persian (ATELIER_LOCALES=en,fa; the headshots preset offers English alone).
 *
 * Skipped like the other browser tests: without Chromium outside CI, and in the PostgreSQL pass.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portrait, twoPeople } from '../../src/modules/generation/providers/local/testing/portraits.ts';
import { PHONE } from './axe.ts';
import { checkPage as check } from './axe.ts';
import { hasChromium, openBrowserSession, signUpInBrowser, skipReason, STEP_TIMEOUT, textOf, type BrowserSession } from './harness.ts';

const FLOW_TIMEOUT = 480_000;
const jpeg = (name: string, buffer: Buffer) => ({ name, mimeType: 'image/jpeg', buffer });

if (skipReason || !hasChromium) {
  describe.skip(`the headshots product in a browser (skipped: ${skipReason ?? 'no Chromium'})`, () => {
    it('adds a person and makes headshots', () => {});
  });
} else {
  describe('the headshots product in a browser', () => {
    let s: BrowserSession;
    let page: Page;
    let resultsUrl = '';
    const email = `heads-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;

    beforeAll(async () => {
      s = await openBrowserSession({ ATELIER_PRESET: 'headshots', ATELIER_PAYMENTS_MANUAL: 'on', ATELIER_LOCALES: 'en,fa' });
      page = s.page;
      await signUpInBrowser(s, email, 'correct-horse-42');
    }, STEP_TIMEOUT);

    afterAll(async () => s?.close(), 30_000);

    it(
      'adds a person: per-photo feedback from the upload and the face check, then a fresh start to ready',
      async () => {
        // A pack first: preparing costs 5 credits, a headshot 1.
        await page.goto(s.url('/billing'));
        await page.getByTestId('package-Starter').getByRole('button', { name: 'Buy' }).click();
        await page.getByTestId('checkout-pay').click();
        await page.getByTestId('complete-payment').click();
        await expect.poll(() => textOf(page, 'billing-balance')).toBe('27');

        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Headshots' }).click();
        await page.waitForURL('**/headshots');
        await page.getByTestId('subjects-empty').waitFor();
        await page.getByLabel('Name').fill('Ava');
        await page.getByTestId('subject-photos').setInputFiles([
          jpeg('ava.jpg', await portrait('ava')),
          jpeg('friends.jpg', await twoPeople()),
          { name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a picture at all') },
        ]);
        const items = page.getByTestId('photo-item');
        await expect.poll(() => page.getByText('Uploaded').count()).toBe(2);
        expect(await items.filter({ hasText: 'notes.jpg' }).getByTestId('photo-problem').textContent()).toBe('This file is not an image.');
        await page.getByTestId('subject-submit').click();

        // The preparation refuses the photo with two people, by name, and holds nothing.
        await page.waitForURL('**/headshots/*');
        await page.getByTestId('subject-failed').waitFor({ timeout: 240_000 });
        const refused = page.getByTestId('subject-failed').getByTestId('photo-problem');
        expect(await refused.allTextContents()).toEqual(['It shows 2 faces; use a photo of the person alone.']);
        await expect.poll(() => textOf(page, 'topbar-credits')).toBe('27 credits');

        // Again with the accepted photo and two more of the same person.
        await page.getByRole('link', { name: 'Start again with the accepted photos' }).click();
        await expect.poll(() => page.getByTestId('photo-item').count()).toBe(1);
        expect(await page.getByLabel('Name').inputValue()).toBe('Ava');
        await page.getByTestId('subject-photos').setInputFiles([
          jpeg('ava-2.jpg', await portrait('ava', { zoom: 3.6, mirror: true, shift: [0.2, 0] })),
          jpeg('ava-3.jpg', await portrait('ava', { zoom: 2.6, light: 1.15 })),
        ]);
        await expect.poll(() => page.getByText('Uploaded').count()).toBe(3);
        await page.getByTestId('subject-submit').click();
        await page.waitForURL('**/headshots/*');
        await page.locator('[data-testid="subject-status"]', { hasText: 'Ready' }).waitFor({ timeout: 240_000 });
        await expect.poll(() => textOf(page, 'topbar-credits')).toBe('22 credits');
        // The four photos went up as training photos (kept while a subject uses them, decision 110).
        expect(await page.evaluate("fetch('/api/v1/assets?kind=training').then((r) => r.json()).then((b) => b.data.length)")).toBe(4);
      },
      FLOW_TIMEOUT,
    );

    it(
      'makes a batch of four headshots on an office background and shows them in the grid',
      async () => {
        const builder = page.getByTestId('batch-builder');
        await builder.getByTestId('backgrounds').getByLabel('Office').check();
        expect(await textOf(page, 'batch-cost')).toBe('This costs 4 credits; you have 22.');
        await builder.getByRole('button', { name: 'Make 4 headshots' }).click();
        await page.getByTestId('batch-done').waitFor({ timeout: 300_000 });
        expect(await textOf(page, 'batch-done')).toBe('Done: 4 headshots.');
        expect(await page.getByTestId('result-image').count()).toBe(4);
        resultsUrl = page.url();
        await expect.poll(() => textOf(page, 'topbar-credits')).toBe('18 credits');
        expect(s.problems).toEqual([]);
      },
      FLOW_TIMEOUT,
    );

    it(
      'passes axe on a 360 px phone in English and in Persian',
      async () => {
        await page.setViewportSize(PHONE);
        for (const lang of ['en', 'fa'] as const) {
          if (lang === 'fa') {
            await page.goto(s.url('/headshots'));
            await page.getByTestId('menu-button').click();
            await page.getByTestId('language-switcher').selectOption('fa');
            await page.locator('html[lang="fa"][dir="rtl"]').waitFor();
          }
          await page.goto(s.url('/headshots'));
          await page.getByTestId('subject-wizard').waitFor();
          await page.getByTestId('subjects').getByRole('link').first().waitFor();
          await check(page, `${lang}-headshots`);
          await page.goto(resultsUrl);
          await page.getByTestId('result-image').first().waitFor();
          await page.getByTestId('batch-done').waitFor();
          await check(page, `${lang}-headshots-results`);
        }
        expect(s.problems).toEqual([]);
      },
      STEP_TIMEOUT,
    );
  });
}
