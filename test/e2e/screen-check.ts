/** One screen checked as it is now: axe (axe.ts) and sideways scrolling, then its screenshot. */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { seriousViolations, SHOTS, sidewaysOverflow } from './axe.ts';

/** No serious or critical axe violation and no sideways scrolling; then the screenshot `<name>.png` from the top. */
export async function checkPage(page: Page, name: string): Promise<void> {
  expect(await seriousViolations(page), name).toEqual([]);
  expect(await sidewaysOverflow(page), `${name} scrolls sideways`).toBeLessThanOrEqual(0);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}
