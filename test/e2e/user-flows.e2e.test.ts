/**
 * Browser test of a person's own flows beyond the first steps, on one server: the gallery
 * (rating, notes, albums, bulk select added to an album in one request, and a zip download), billing (a coupon checked at checkout
 * and paid with its discount, a plan subscribed to and cancelled, a gift card redeemed and one bought
 * for someone, payments listed), the account (profile, preferences, sessions, API keys shown once and
 * revoked, the webhook secret, a password change), and signing in with a one-time code and after a
 * password reset. The new screens pass axe (no serious or critical violation) on a 360 px phone in
 * English and in Persian without sideways scrolling; screenshots go to test-results/screenshots/,
 * or to docs/screenshots/ with UPDATE_SCREENSHOTS=1.
 *
 * Real: the Atelier server (`node src/main.ts start`, the built web app) on a fresh embedded
 * database; cookie sessions; the zip made by the server; axe-core in the page; headless Chromium via
 * playwright-core. The coupon and the gift card are made by the admin through the admin API.
 * Stand-ins: the payment gateway is the `manual` provider (ATELIER_PAYMENTS_MANUAL=on), completed
 * from the page; email delivery is the dev outbox, which gives the codes.
 *
 * Skipped like the other browser tests: without Chromium outside CI, and in the PostgreSQL pass.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, PHONE, SHOTS } from './axe.ts';
import { hasChromium, openBrowserSession, signUpInBrowser, skipReason, sleep, STEP_TIMEOUT, textOf, type BrowserSession } from './harness.ts';
const ADMIN = { email: 'flows-admin@example.com', password: 'admin-password-42' };

/** A code for `to` that is not one of `seen` (the outbox keeps the older ones too). */
async function newCode(baseUrl: string, to: string, seen: Set<string>): Promise<string> {
  for (let tries = 0; tries < 120; tries++) {
    const res = await fetch(`${baseUrl}/api/v1/dev/outbox?to=${encodeURIComponent(to)}`);
    const body = (await res.json()) as { data: Array<{ code: string | null }> };
    const fresh = body.data.find((m) => m.code && !seen.has(m.code));
    if (fresh?.code) {
      seen.add(fresh.code);
      return fresh.code;
    }
    await sleep(250);
  }
  throw new Error(`no new code arrived for ${to}`);
}

/** The admin's bearer token, then a JSON POST to the admin API with it. */
async function adminPost<T>(baseUrl: string, route: string, body: unknown): Promise<T> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  expect(login.status).toBe(200);
  const { access_token } = (await login.json()) as { access_token: string };
  const res = await fetch(`${baseUrl}/api/v1${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as T;
}

/** Signs out through the shell (its menu folds on narrow screens). */
async function signOut(page: Page) {
  await page.getByTestId('credit-balance').waitFor();
  if (await page.getByTestId('menu-button').isVisible()) await page.getByTestId('menu-button').click();
  await page.getByTestId('sign-out').click();
  await page.waitForURL('**/signin');
}

async function useLanguage(page: Page, lang: 'en' | 'fa') {
  await page.evaluate((l) => localStorage.setItem('atelier.language', l), lang);
}

/** Opens a screen on the phone, checks it with axe and for overflow, and keeps its screenshot. */
async function checkScreen(s: BrowserSession, lang: 'en' | 'fa', name: string, route: string, ready: string, before?: () => Promise<void>) {
  const page = s.page;
  await page.goto(s.url(route));
  await page.getByTestId(ready).first().waitFor();
  await page.locator(`html[lang="${lang}"]`).waitFor();
  if (before) await before();
  await checkPage(page, `${lang}-${name}`);
}

if (skipReason || !hasChromium) {
  describe.skip(`gallery, billing, account and sign-in flows in a browser (skipped: ${skipReason ?? 'no Chromium'})`, () => {
    it('runs the flows', () => {});
  });
} else {
  describe('gallery, billing, account and sign-in flows in a browser', () => {
    let s: BrowserSession;
    let page: Page;
    const email = `flows-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
    const password = 'correct-horse-42';
    const codes = new Set<string>();

    beforeAll(async () => {
      fs.mkdirSync(SHOTS, { recursive: true });
      s = await openBrowserSession({ ATELIER_PAYMENTS_MANUAL: 'on', ATELIER_ADMIN_EMAIL: ADMIN.email, ATELIER_ADMIN_PASSWORD: ADMIN.password });
      page = s.page;
      page.on('dialog', (d) => void d.accept());
      await signUpInBrowser(s, email, password);
      // The verification code is spent; later codes must be new ones.
      await newCode(s.server.baseUrl, email, codes);
    }, STEP_TIMEOUT);

    afterAll(async () => s?.close(), 30_000);

    it(
      'gallery: rates, keeps notes, gathers images in an album, downloads a selection as a zip',
      async () => {
        await page.goto(s.url('/library'));
        await page.getByTestId('library-empty').waitFor();
        const image = (r: number) => sharp({ create: { width: 160, height: 120, channels: 3, background: { r, g: 90, b: 140 } } }).png().toBuffer();
        await page.getByTestId('upload-input').setInputFiles([
          { name: 'dawn.png', mimeType: 'image/png', buffer: await image(20) },
          { name: 'dusk.png', mimeType: 'image/png', buffer: await image(220) },
        ]);
        await expect.poll(() => page.getByTestId('asset-tile').count()).toBe(2);
        const dawn = page.getByTestId('asset-tile').filter({ hasText: 'dawn.png' });

        await dawn.getByRole('button', { name: 'Rate 4 of 5' }).click();
        await expect.poll(() => dawn.getByRole('button', { name: 'Rate 4 of 5' }).getAttribute('aria-pressed')).toBe('true');
        await dawn.getByRole('button', { name: 'Notes on dawn.png' }).click();
        await dawn.getByRole('textbox', { name: 'Notes' }).fill('Use for the spring page');
        await dawn.getByRole('button', { name: 'Save notes' }).click();
        expect(await dawn.getByTestId('asset-notes').textContent()).toBe('Use for the spring page');
        // Both survive a reload: they are the server's.
        await page.reload();
        await expect.poll(() => dawn.getByRole('button', { name: 'Rate 4 of 5' }).getAttribute('aria-pressed')).toBe('true');
        expect(await dawn.getByTestId('asset-notes').textContent()).toBe('Use for the spring page');

        await page.getByTestId('new-album').click();
        await page.getByLabel('Album name').fill('Spring');
        await page.getByRole('button', { name: 'Create' }).click();
        await page.getByTestId('album-bar').waitFor();
        await page.getByTestId('library-empty').waitFor();
        await page.getByRole('radio', { name: 'All' }).click();
        await expect.poll(() => page.getByTestId('asset-tile').count()).toBe(2);
        await page.getByRole('button', { name: 'Select all' }).click();
        expect(await textOf(page, 'selected-count')).toBe('2 selected');
        await page.getByTestId('bulk-album').selectOption({ label: 'Spring' });
        // The selection goes to the album in one request (decision 105).
        // The notice counts what the server says it added, so both came in that one request.
        const adds: string[] = [];
        const countAdds = (r: { method(): string; url(): string }) => {
          if (r.method() === 'POST' && /\/collections\/[^/]+\/items$/.test(r.url())) adds.push(r.url());
        };
        page.on('request', countAdds);
        await page.getByTestId('bulk-add').click();
        expect(await textOf(page, 'gallery-notice')).toBe('2 images added to Spring.');
        page.off('request', countAdds);
        expect(adds).toHaveLength(1);

        await page.getByRole('radio', { name: /^Spring/ }).click();
        await expect.poll(() => page.getByTestId('asset-tile').count()).toBe(2);
        await dawn.getByTestId('asset-select').check();
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bulk-zip').click()]);
        const zip = fs.readFileSync((await download.path())!);
        expect(zip.subarray(0, 2).toString()).toBe('PK');
        expect(zip.includes(Buffer.from('dawn.png'))).toBe(true);
        expect(zip.includes(Buffer.from('dusk.png'))).toBe(false);

        await page.getByTestId('bulk-remove').click();
        expect(await textOf(page, 'gallery-notice')).toBe('1 image taken out of Spring.');
        await expect.poll(() => page.getByTestId('asset-tile').count()).toBe(1);
        expect(await page.getByTestId('asset-tile').textContent()).toContain('dusk.png');
      },
      STEP_TIMEOUT,
    );

    it(
      'billing: a coupon at checkout, a plan subscribed and cancelled, gift cards redeemed and bought, payments listed',
      async () => {
        await adminPost(s.server.baseUrl, '/admin/coupons', { code: 'SPRING25', type: 'percentage', value: 25 });
        const gift = await adminPost<{ code: string }>(s.server.baseUrl, '/admin/gift-cards', { credits: 7 });

        await page.goto(s.url('/billing'));
        await page.getByTestId('payments-empty').waitFor();
        const starter = page.getByTestId('package-Starter');
        await starter.getByRole('button', { name: 'Buy' }).click();
        const checkout = page.getByTestId('checkout');
        await checkout.getByRole('textbox', { name: 'Coupon code (optional)' }).fill('NOPE');
        await checkout.getByRole('button', { name: 'Apply' }).click();
        await page.getByTestId('checkout-coupon-error').waitFor();
        await checkout.getByRole('textbox', { name: 'Coupon code (optional)' }).fill('SPRING25');
        await checkout.getByRole('button', { name: 'Apply' }).click();
        await page.getByTestId('checkout-discount').waitFor();
        const total = await textOf(page, 'checkout-total');
        await page.getByTestId('checkout-pay').click();
        await page.getByTestId('complete-payment').click();
        await page.getByTestId('payment-outcome').waitFor();
        const paid = page.getByTestId('payments').locator('tbody tr').first();
        await expect.poll(() => paid.textContent()).toContain('Paid');
        expect(await paid.textContent()).toContain(total);
        expect(await paid.textContent()).toContain('saved');

        const plan = page.locator('[data-testid^="plan-"]').filter({ has: page.getByRole('button', { name: 'Choose' }) }).first();
        await plan.getByRole('button', { name: 'Choose' }).click();
        await page.getByTestId('checkout-pay').click();
        await page.getByTestId('complete-payment').click();
        await page.getByTestId('subscription-cancel').waitFor();
        expect(await textOf(page, 'subscription-status')).toMatch(/^Active · renews/);
        await page.getByTestId('subscription-cancel').click();
        await expect.poll(() => textOf(page, 'subscription-status')).toMatch(/^Active · ends/);
        await page.getByText('Cancelled: it will not renew.').waitFor();

        const redeem = page.getByTestId('redeem-gift-card');
        await redeem.getByLabel('Gift card code').fill(gift.code);
        await redeem.getByRole('button', { name: 'Redeem' }).click();
        await redeem.getByText('7 credits added.').waitFor();

        const buy = page.getByTestId('gift-card-buy');
        await buy.getByLabel('Recipient email').fill('not-an-email');
        await buy.getByRole('button', { name: 'Buy gift card' }).click();
        await page.getByTestId('gift-email-error').waitFor();
        await buy.getByLabel('Recipient email').fill('friend@example.com');
        await buy.getByRole('button', { name: 'Buy gift card' }).click();
        await page.getByTestId('pending-payment').waitFor();
        await expect.poll(() => page.getByTestId('payments').locator('tbody tr').first().textContent()).toContain('Gift card');
        expect(s.problems).toEqual([]);
      },
      STEP_TIMEOUT,
    );

    it(
      'account: profile, preferences, sessions, an API key shown once and revoked, the webhook secret, a new password',
      async () => {
        await page.goto(s.url('/account'));
        await page.getByLabel('Full name').fill('Dana Flow');
        await page.getByLabel('Company').fill('Flow & Co');
        await page.getByTestId('profile-save').click();
        expect(await textOf(page, 'profile-message')).toBe('Saved.');
        const avatar = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 60, b: 60 } } }).png().toBuffer();
        await page.getByTestId('avatar-input').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: avatar });
        await expect.poll(() => textOf(page, 'profile-message')).toBe('Avatar updated.');
        await page.getByRole('img', { name: 'Your avatar' }).waitFor();

        await page.getByTestId('preferences-card').getByLabel('News and offers').check();
        await page.getByTestId('preferences-save').click();
        expect(await textOf(page, 'preferences-message')).toBe('Saved.');
        await page.reload();
        expect(await page.getByLabel('Full name').inputValue()).toBe('Dana Flow');
        expect(await page.getByTestId('preferences-card').getByLabel('News and offers').isChecked()).toBe(true);

        await page.getByTestId('session-row').filter({ hasText: 'This device' }).waitFor();

        await page.getByLabel('Key name').fill('CI');
        await page.getByTestId('api-key-create').click();
        const key = await page.getByTestId('new-api-key').getByTestId('secret-value').inputValue();
        expect(key.length).toBeGreaterThan(20);
        const me = await fetch(s.url('/api/v1/me'), { headers: { authorization: `Bearer ${key}` } });
        expect(me.status).toBe(200);
        await page.reload();
        await page.getByTestId('api-key-row').filter({ hasText: 'CI' }).waitFor();
        expect(await page.getByTestId('new-api-key').count()).toBe(0);
        await page.getByRole('button', { name: 'Revoke key CI' }).click();
        await page.getByTestId('api-keys-empty').waitFor();
        await expect.poll(async () => (await fetch(s.url('/api/v1/me'), { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);

        await page.getByTestId('webhook-reveal').click();
        expect(await page.getByTestId('webhook-secret').getByTestId('secret-value').inputValue()).toMatch(/^whsec_/);

        await page.getByLabel('Current password').fill('wrong-password-1');
        await page.getByLabel('New password', { exact: true }).fill('new-horse-4242');
        await page.getByLabel('New password again').fill('new-horse-4242');
        await page.getByTestId('password-save').click();
        await page.getByTestId('pw-current-error').waitFor();
        await page.getByLabel('Current password').fill(password);
        await page.getByTestId('password-save').click();
        expect(await textOf(page, 'password-message')).toBe('Password changed.');
        expect(s.problems).toEqual([]);
      },
      STEP_TIMEOUT,
    );

    it(
      'the new screens pass axe on a phone in English and Persian',
      async () => {
        await page.setViewportSize(PHONE);
        for (const lang of ['en', 'fa'] as const) {
          await useLanguage(page, lang);
          await checkScreen(s, lang, 'gallery', '/library', 'asset-tile', async () => {
            await page.getByTestId('asset-tile').first().getByRole('button', { name: /notes|یادداشت/i }).click();
          });
          await checkScreen(s, lang, 'billing-checkout', '/billing', 'payments', async () => {
            await page.getByTestId('package-Starter').getByRole('button').click();
            await page.getByTestId('checkout').waitFor();
          });
          await checkScreen(s, lang, 'account-security', '/account', 'session-row');
        }
        await useLanguage(page, 'en');
        await page.setViewportSize({ width: 1280, height: 900 });
      },
      STEP_TIMEOUT,
    );

    it(
      'signs in with a one-time code, and with a new password after a reset',
      async () => {
        await page.goto(s.url('/dashboard'));
        await signOut(page);

        await page.getByTestId('signin-mode-code').click();
        await page.getByRole('textbox', { name: 'Email' }).fill(email);
        await page.getByRole('button', { name: 'Send me a code' }).click();
        await page.getByRole('textbox', { name: 'Code', exact: true }).fill('000000');
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await page.getByTestId('otp-error').waitFor();
        await page.getByRole('textbox', { name: 'Code', exact: true }).fill(await newCode(s.server.baseUrl, email, codes));
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await page.waitForURL('**/dashboard');

        await signOut(page);
        await page.getByTestId('signin-mode-reset').click();
        await page.getByRole('textbox', { name: 'Email' }).fill(email);
        await page.getByRole('button', { name: 'Send a reset code' }).click();
        await page.getByRole('textbox', { name: 'Code', exact: true }).fill(await newCode(s.server.baseUrl, email, codes));
        await page.getByLabel('New password', { exact: true }).fill('reset-horse-4242');
        await page.getByLabel('New password again').fill('reset-horse-4242');
        await page.getByRole('button', { name: 'Set new password' }).click();
        await page.getByTestId('reset-done').waitFor();

        await page.setViewportSize(PHONE);
        for (const lang of ['en', 'fa'] as const) {
          await useLanguage(page, lang);
          await checkScreen(s, lang, 'signin-code', '/signin', 'signin-form', async () => {
            await page.getByTestId('signin-mode-code').click();
            await page.getByTestId('otp-request').waitFor();
          });
        }
        await useLanguage(page, 'en');
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.goto(s.url('/signin'));
        await page.getByRole('textbox', { name: 'Email' }).fill(email);
        await page.getByLabel('Password', { exact: true }).fill('reset-horse-4242');
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await page.waitForURL('**/dashboard');
        expect(s.problems).toEqual([]);
      },
      STEP_TIMEOUT,
    );
  });
}
