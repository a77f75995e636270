/**
 * What the three product browser tests share (product-shots, print-prep, ad-creatives): the check
 * of a screen on a 360 px phone in English and then in Persian (axe.ts), and a product photo.
 *
 * Those three presets offer English only (`locales: ['en']` in GET /config), so the app shows no
 * language switcher there. `offerPersian` stands in for an installation of the same preset that
 * also offers Persian: it adds `fa` to the config answer the browser gets (Playwright's request
 * routing; the server and every other answer are untouched), so the Persian layout of the product
 * screens can be checked on the preset that owns them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { expect } from 'vitest';
import { PHONE, seriousViolations, SHOTS, sidewaysOverflow } from './axe.ts';
import { openBrowserSession, signUpInBrowser, type BrowserSession } from './harness.ts';

/** Adds Persian to the installation's languages as the browser reads them (see the header). */
export async function offerPersian(page: Page): Promise<void> {
  await page.route('**/api/v1/config', async (route) => {
    const res = await route.fetch();
    const config = (await res.json()) as { locales: string[] };
    if (!config.locales.includes('fa')) config.locales = [...config.locales, 'fa'];
    await route.fulfill({ response: res, json: config });
  });
}

/** A server with the preset, a browser offered Persian (see the header), and a new verified user. */
export async function openProductSession(preset: 'product-shots' | 'print-prep' | 'ad-creatives'): Promise<BrowserSession> {
  const s = await openBrowserSession({ ATELIER_PRESET: preset });
  try {
    await offerPersian(s.page);
    await signUpInBrowser(s, `${preset}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`, 'correct-horse-42');
    return s;
  } catch (err) {
    await s.close();
    throw err;
  }
}

/**
 * On a 360 px phone: checks the screen in English (axe, no sideways scrolling, screenshot), switches
 * to Persian through the menu's language switcher, waits for `ready` again and checks it the same way.
 */
export async function checkBothLanguages(page: Page, name: string, ready: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize(PHONE);
  await page.getByTestId(ready).first().waitFor();
  expect(await seriousViolations(page), `en ${name}`).toEqual([]);
  expect(await sidewaysOverflow(page), `en ${name} scrolls sideways`).toBeLessThanOrEqual(0);
  await top(page);
  await page.screenshot({ path: path.join(SHOTS, `en-${name}.png`), fullPage: true });

  await page.getByTestId('menu-button').click();
  await page.getByTestId('language-switcher').selectOption('fa');
  await page.locator('html[lang="fa"][dir="rtl"]').waitFor();
  await page.getByTestId('menu-button').click();
  await page.getByTestId(ready).first().waitFor();
  expect(await seriousViolations(page), `fa ${name}`).toEqual([]);
  expect(await sidewaysOverflow(page), `fa ${name} scrolls sideways`).toBeLessThanOrEqual(0);
  await top(page);
  await page.screenshot({ path: path.join(SHOTS, `fa-${name}.png`), fullPage: true });
}

/** Back to the top, so a full-page screenshot has the sticky top bar where it belongs. */
const top = (page: Page) => page.evaluate('window.scrollTo(0, 0)');

/** A packshot-like picture: a coloured shape on a light ground. */
export const productPhoto = (hue: number, format: 'jpeg' | 'png' = 'jpeg') => {
  const img = sharp({ create: { width: 360, height: 360, channels: 3, background: { r: 248, g: 248, b: 248 } } }).composite([
    { input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="360" height="360"><rect x="110" y="60" width="140" height="240" rx="24" fill="hsl(${hue},60%,45%)"/></svg>`) },
  ]);
  return format === 'png' ? img.png().toBuffer() : img.jpeg().toBuffer();
};
