/**
 * What the browser tests check on every screen: axe-core's violations of serious or critical impact
 * (axe's own browser build, injected through the DevTools protocol so the server's CSP stays as it
 * is) and sideways scrolling of the page. Screenshots go to test-results/screenshots/, or to
 * docs/screenshots/ with UPDATE_SCREENSHOTS=1.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ROOT, type BrowserSession } from './harness.ts';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** `UPDATE_SCREENSHOTS=1` refreshes the committed ones in docs/; an ordinary run leaves docs/ alone. */
export const SHOTS = path.join(ROOT, process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots');
export const PHONE = { width: 360, height: 780 };

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/** axe-core's violations of serious or critical impact on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate('window.axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)')) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`);
}

/** How far the page scrolls sideways (0 or less: it does not). */
export const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => {
    const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return d.scrollWidth - d.clientWidth;
  });

/** Opens a screen, checks it with axe and for overflow, and keeps its screenshot (`<lang>-<name>.png`). */
export async function checkScreen(s: BrowserSession, lang: 'en' | 'fa', screen: { name: string; path: string; ready: string }): Promise<void> {
  const page = s.page;
  await page.goto(s.url(screen.path));
  await page.getByTestId(screen.ready).waitFor();
  await page.locator(`html[lang="${lang}"]`).waitFor();
  expect(await seriousViolations(page), `${lang} ${screen.name}`).toEqual([]);
  expect(await sidewaysOverflow(page), `${lang} ${screen.name} scrolls sideways`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(SHOTS, `${lang}-${screen.name}.png`), fullPage: true });
}
