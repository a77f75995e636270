/**
 * The style-studio product in the browser, in Persian as it opens: a vendor signs up by phone with
 * the SMS code, edits the public profile, creates an album and publishes an image into it within
 * the gallery quota; the public vendor page shows it to anyone, signed in or not; a user signs up
 * by phone, takes that image's look for their own photo ("Use this look"), converts once more with
 * a catalogue style, sees the free conversions run out and `quota_exceeded` lead to the plans, in
 * toman. The main screens pass axe (no serious or critical violation) in Persian and English on a
 * 360 px phone without sideways scrolling; their screenshots go to test-results/screenshots/
 * (docs/screenshots/ with UPDATE_SCREENSHOTS=1).
 *
 * Real: the Atelier server (`node src/main.ts start`, the built web app) with
 * ATELIER_PRESET=style-studio on a fresh embedded database, the local provider and its workers,
 * cookie sessions, headless Chromium via playwright-core, axe-core.
 * Stand-ins: SMS goes to the dev outbox (its codes are read from there); images are made with sharp.
 *
 * Skipped like the other browser tests: without Chromium outside CI, and in the PostgreSQL pass.
 */
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE } from './axe.ts';
import { checkPage as check } from './axe.ts';
import { hasChromium, latestCode, openBrowserSession, skipReason, STEP_TIMEOUT, textOf, type BrowserSession } from './harness.ts';

const FLOW_TIMEOUT = 300_000;
const SLUG = 'nima-prints';
const photo = async (name: string, background: { r: number; g: number; b: number }) => ({
  name,
  mimeType: 'image/jpeg',
  buffer: await sharp({ create: { width: 320, height: 240, channels: 3, background } }).jpeg().toBuffer(),
});
const randomPhone = () => `+98912${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

/** Phone sign-up through the sign-up screen, then the SMS code from the outbox. */
async function signUpByPhone(s: BrowserSession, phone: string, business?: string): Promise<void> {
  const page = s.page;
  await page.goto(s.url('/signup'));
  await page.locator('#signup-phone').fill(phone);
  await page.locator('#signup-password').fill('correct-horse-42');
  if (business) {
    await page.locator('#signup-vendor').check();
    await page.locator('#signup-business-name').fill(business);
  }
  await page.getByTestId('signup-form').locator('button[type="submit"]').click();
  const step = page.getByTestId('phone-code');
  await step.waitFor();
  await page.locator('#phone-code').fill(await latestCode(s.server.baseUrl, phone));
  await step.locator('button[type="submit"]').click();
  await page.waitForURL('**/dashboard');
}

if (skipReason || !hasChromium) {
  describe.skip(`the style-studio product in a browser (skipped: ${skipReason ?? 'no Chromium'})`, () => {
    it('publishes a vendor album and converts with it', () => {});
  });
} else {
  describe('the style-studio product in a browser', () => {
    let s: BrowserSession;
    let page: Page;

    beforeAll(async () => {
      s = await openBrowserSession({ ATELIER_PRESET: 'style-studio' });
      page = s.page;
      await page.setViewportSize(PHONE);
    }, STEP_TIMEOUT);

    afterAll(async () => s?.close(), 30_000);

    it(
      'a vendor signs up by phone, edits the profile and publishes an album within the gallery quota',
      async () => {
        await signUpByPhone(s, randomPhone(), 'Nima Prints');
        await page.locator('html[lang="fa"][dir="rtl"]').waitFor();
        await page.getByTestId('menu-button').click();
        await page.getByRole('link', { name: 'گالری من' }).click();
        await page.waitForURL('**/vendor');
        await page.locator('#vendor-slug').fill(SLUG);
        await page.locator('#vendor-bio').fill('چاپ دستی و طرح‌های آبرنگی');
        await page.locator('#vendor-location').fill('تهران');
        await page.getByTestId('profile-save').click();
        await page.getByTestId('profile-saved').waitFor();

        await page.getByTestId('albums-empty').waitFor();
        await page.locator('#album-name').fill('بهار');
        await page.getByTestId('album-create').click();
        await page.getByTestId('album').waitFor();
        expect(await textOf(page, 'gallery-quota')).toBe('۰ از ۱۰ تصویر گالری استفاده شده');
        await page.getByTestId('album-publish').setInputFiles(await photo('spring.jpg', { r: 200, g: 90, b: 40 }));
        await expect.poll(() => textOf(page, 'gallery-quota')).toBe('۱ از ۱۰ تصویر گالری استفاده شده');
        await page.getByTestId('album').locator('img').waitFor();
        await check(page, 'fa-vendor');

        await page.getByTestId('menu-button').click();
        await page.getByTestId('sign-out').click();
        await page.waitForURL('**/signin');
      },
      FLOW_TIMEOUT,
    );

    it(
      'shows the public vendor page to someone not signed in',
      async () => {
        await page.goto(s.url(`/vendors/${SLUG}`));
        expect(await textOf(page, 'vendor-name')).toBe('Nima Prints');
        await page.getByTestId('public-album').getByRole('heading', { name: /بهار/ }).waitFor();
        await page.getByTestId('use-look').waitFor();
        await check(page, 'fa-vendor-public');
      },
      STEP_TIMEOUT,
    );

    it(
      'a user converts with the vendor’s image and with a style, then the free quota leads to the plans in toman',
      async () => {
        await signUpByPhone(s, randomPhone());
        await page.goto(s.url(`/vendors/${SLUG}`));
        await page.getByTestId('use-look').click();
        await page.waitForURL('**/convert?*');
        await page.getByTestId('vendor-reference').waitFor();
        await expect.poll(() => textOf(page, 'free-left')).toBe('۲ تبدیل رایگان از ۲ در این ماه باقی مانده');
        await page.getByTestId('convert-source').setInputFiles(await photo('me.jpg', { r: 40, g: 120, b: 200 }));
        await page.getByTestId('convert-source-preview').waitFor();
        await page.getByTestId('style-choices').locator('input[value="vintage"]').check();
        await page.getByTestId('convert-submit').click();
        await page.getByTestId('result-image').waitFor({ timeout: 120_000 });
        await expect.poll(() => textOf(page, 'free-left')).toBe('۱ تبدیل رایگان از ۲ در این ماه باقی مانده');

        // A catalogue style next.
        await page.getByRole('radio', { name: 'فقط سبک' }).check();
        await page.getByTestId('style-choices').locator('input[value="watercolor"]').check();
        await page.getByTestId('convert-submit').click();
        await expect.poll(() => page.getByTestId('result-image').count(), { timeout: 120_000 }).toBe(2);
        await expect.poll(() => textOf(page, 'free-left')).toBe('۰ تبدیل رایگان از ۲ در این ماه باقی مانده');
        await check(page, 'fa-convert');

        // The third is refused with the quota's numbers, and leads to the plans.
        await page.getByTestId('convert-submit').click();
        const refused = page.getByTestId('quota-exceeded');
        await refused.waitFor();
        expect(await refused.textContent()).toContain('شما ۲ از ۲ تبدیل را استفاده کرده‌اید');
        await refused.getByRole('link').click();
        await page.waitForURL('**/billing');
        expect(await textOf(page, 'plan-basic')).toContain('تومان');
        expect(s.problems).toEqual([]);
      },
      FLOW_TIMEOUT,
    );

    it(
      'passes axe in English on the conversion and public vendor pages',
      async () => {
        await page.getByTestId('menu-button').click();
        await page.getByTestId('language-switcher').selectOption('en');
        await page.locator('html[lang="en"][dir="ltr"]').waitFor();
        await page.goto(s.url('/convert'));
        await page.getByTestId('style-choices').waitFor();
        await expect.poll(() => textOf(page, 'free-left')).toBe('0 free conversions left of 2 this month');
        await check(page, 'en-convert');
        await page.goto(s.url(`/vendors/${SLUG}`));
        await page.getByTestId('use-look').waitFor();
        await check(page, 'en-vendor-public');
        expect(s.problems).toEqual([]);
      },
      STEP_TIMEOUT,
    );
  });
}
