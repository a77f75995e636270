/**
 * What the three product browser tests share (product-shots, print-prep, ad-creatives): the check
 * of a screen on a 360 px phone in English and then in Persian (axe.ts), and a product photo.
 * Those three presets offer English only; their servers here also offer Persian
 * (`ATELIER_LOCALES=en,fa`, as an operator would), so the Persian layout of each product's screens
 * is checked on the preset that owns them.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { checkPage, PHONE, SHOTS } from './axe.ts';
import { openBrowserSession, signUpInBrowser, type BrowserSession } from './harness.ts';

/** A server with the preset, offering Persian too, and a new verified user. */
export async function openProductSession(preset: 'product-shots' | 'print-prep' | 'ad-creatives'): Promise<BrowserSession> {
  const s = await openBrowserSession({ ATELIER_PRESET: preset, ATELIER_LOCALES: 'en,fa' });
  try {
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
  await checkPage(page, `en-${name}`);

  await page.getByTestId('menu-button').click();
  await page.getByTestId('language-switcher').selectOption('fa');
  await page.locator('html[lang="fa"][dir="rtl"]').waitFor();
  await page.getByTestId('menu-button').click();
  await page.getByTestId(ready).first().waitFor();
  await checkPage(page, `fa-${name}`);
}

/** Back to the top, so a full-page screenshot has the sticky top bar where it belongs. */
/** A packshot-like picture: a coloured shape on a light ground. */
export const productPhoto = (hue: number, format: 'jpeg' | 'png' = 'jpeg') => {
  const img = sharp({ create: { width: 360, height: 360, channels: 3, background: { r: 248, g: 248, b: 248 } } }).composite([
    { input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="360" height="360"><rect x="110" y="60" width="140" height="240" rx="24" fill="hsl(${hue},60%,45%)"/></svg>`) },
  ]);
  return format === 'png' ? img.png().toBuffer() : img.jpeg().toBuffer();
};
