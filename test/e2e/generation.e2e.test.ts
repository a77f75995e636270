/**
 * Browser end-to-end test of the Studio: upload a source image, start an upscale and watch it reach
 * a final status; rate the finished generation on its page (favourite, stars by keyboard, notes; axe
 * in English and in Persian on a phone); ask for more outputs than the balance covers and get the
 * "not enough credits" path.
 *
 * Real: the Atelier server (`node src/main.ts start`: API, pg-boss workers in-process, the built web
 * app) on a fresh embedded database, cookie sessions with CSRF, the generation engine with credit
 * holds, the event stream, whatever image providers this build registers (the `local` one does the
 * upscale with sharp on this machine), and headless Chromium via playwright-core.
 * Stand-ins: none; the source image is made with sharp.
 *
 * When this build registers no provider that can upscale, the Studio must say so and refuse to
 * start one, as the API does: that is what is checked then.
 *
 * Skipped like the other browser tests: without Chromium outside CI, and in the PostgreSQL pass.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, PHONE } from './axe.ts';
import { hasChromium, openBrowserSession, ROOT, signUpInBrowser, skipReason, STEP_TIMEOUT, textOf, type BrowserSession } from './harness.ts';

interface ApiGeneration {
  id: string;
  status: string;
  credits_used: number;
  outputs: unknown[];
  error: { message: string } | null;
}

if (skipReason || !hasChromium) {
  describe.skip(`the Studio in a browser (skipped: ${skipReason ?? 'no Chromium'})`, () => {
    it('runs a generation', () => {});
  });
} else {
  describe('the Studio in a browser', () => {
    let s: BrowserSession;
    let page: Page;
    const email = `gen-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
    const url = (p: string) => s.url(p);
    let upscaleProviders: string[] = [];

    const apiGet = async <T,>(p: string): Promise<T> => {
      const res = await page.request.get(url(`/api/v1${p}`));
      expect(res.status(), await res.text()).toBe(200);
      return (await res.json()) as T;
    };
    const available = async () => (await apiGet<{ available: number }>('/credits')).available;

    beforeAll(async () => {
      s = await openBrowserSession();
      page = s.page;
      await signUpInBrowser(s, email, 'correct-horse-42');
      const types = await apiGet<Array<{ type: string; providers: string[] }>>('/generation-types');
      upscaleProviders = types.find((t) => t.type === 'upscale')?.providers ?? [];
    }, STEP_TIMEOUT);

    afterAll(async () => s?.close(), 30_000);

    it(
      'uploads a source in the Studio, starts a 2× upscale and shows the status the API has',
      async () => {
        await page.getByRole('link', { name: 'Studio' }).click();
        await page.waitForURL('**/studio');
        await page.getByTestId('generations-empty').waitFor();
        await page.getByTestId('type-upscale').click();
        await expect.poll(() => page.getByTestId('type-upscale').locator('input').isChecked()).toBe(true);

        const png = await sharp({ create: { width: 96, height: 64, channels: 3, background: { r: 200, g: 90, b: 40 } } }).png().toBuffer();
        await page.getByTestId('studio-upload-input').setInputFiles({ name: 'tile.png', mimeType: 'image/png', buffer: png });
        await expect.poll(() => page.getByTestId('source-option').locator('input:checked').count()).toBe(1);
        await page.getByRole('radio', { name: '2', exact: true }).check();
        await page.getByLabel('Number of outputs').fill('1');
        expect(await textOf(page, 'studio-cost')).toMatch(/^Costs 1 credit · you have 2\.$/);
        const before = await available();
        expect(before).toBe(2);

        if (upscaleProviders.length === 0) {
          // No provider here: the Studio says so and does not start one; the API refuses it too.
          await page.getByTestId('type-upscale').getByText('Not available on this server').waitFor();
          expect(await page.getByTestId('studio-submit').isDisabled()).toBe(true);
          const csrf = (await s.context.cookies()).find((c) => c.name === 'atelier_csrf')?.value ?? '';
          const sourceId = (await apiGet<{ data: Array<{ id: string }> }>('/assets')).data[0]!.id;
          const refused = await page.request.post(url('/api/v1/generations'), {
            headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
            data: { type: 'upscale', source_asset_ids: [sourceId], params: { factor: 2 } },
          });
          expect(refused.status()).toBe(400);
          expect((await apiGet<{ data: unknown[] }>('/generations')).data).toEqual([]);
          expect(await available()).toBe(before);
          return;
        }

        await page.getByTestId('studio-submit').click();
        const item = page.getByTestId('generation-item').first();
        await item.waitFor();
        const id = (await item.getAttribute('data-generation-id'))!;
        // The list follows the event stream (or polling) to a final status.
        await expect.poll(() => item.getAttribute('data-status'), { timeout: 60_000 }).toMatch(/^(completed|failed)$/);
        const shown = await item.getAttribute('data-status');
        const g = await apiGet<ApiGeneration>(`/generations/${id}`);
        expect(shown).toBe(g.status);
        expect(await item.getByTestId('generation-status').textContent()).toBe(g.status === 'completed' ? 'Completed' : 'Failed');
        // The change was announced to assistive technology.
        expect(await page.getByTestId('generation-announcer').textContent()).toMatch(/^Upscale: (completed|failed)\.$/);

        if (g.status === 'completed') {
          expect(g.outputs).toHaveLength(1);
          const thumb = item.getByTestId('generation-output');
          await thumb.waitFor();
          await expect.poll(() => thumb.locator('img').evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
          const full = await page.request.get(new URL((await thumb.getAttribute('href'))!, s.server.baseUrl).toString());
          expect(full.status()).toBe(200);
          expect((await sharp(await full.body()).metadata()).width).toBe(192);
          expect(await available()).toBe(before - 1);
          expect(await item.getByTestId('generation-credits').textContent()).toBe('1 credit used');
        } else {
          expect(await item.getByTestId('generation-error').textContent()).toBe(g.error!.message);
          expect(await available()).toBe(before);
        }
        const left = await available();
        await expect.poll(() => textOf(page, 'topbar-credits')).toBe(`${left} ${left === 1 ? 'credit' : 'credits'}`);
        await page.screenshot({ path: path.join(ROOT, 'test-results/studio-generation.png'), fullPage: true });
      },
      STEP_TIMEOUT,
    );

    it(
      'shows a refused setting under its field, and more outputs than the balance covers as "not enough credits" with a link to billing',
      async () => {
        if (upscaleProviders.length === 0) {
          // The API checks the provider before the price, so without one there is no 402 to see.
          expect(await page.getByTestId('studio-submit').isDisabled()).toBe(true);
          expect(s.problems).toEqual([]);
          return;
        }
        const balance = await available();
        const listed = (await apiGet<{ data: unknown[] }>('/generations')).data.length;

        // A value the server refuses comes back under its own field (vectorize's threshold is 0–255).
        await page.getByTestId('type-vectorize').click();
        await page.getByLabel('Threshold (optional)').fill('300');
        await page.getByTestId('studio-submit').click();
        expect(await textOf(page, 'param-threshold-error')).toMatch(/255/);
        await page.getByLabel('Threshold (optional)').fill('');

        await page.getByTestId('type-upscale').click();
        await expect.poll(() => page.getByTestId('source-option').locator('input:checked').count()).toBe(1);
        await page.getByLabel('Number of outputs').fill('5');
        expect(await textOf(page, 'studio-cost')).toBe(`Costs 5 credits · you have ${balance}.`);
        await page.getByTestId('studio-submit').click();
        const alert = page.getByTestId('studio-insufficient');
        expect(await textOf(page, 'studio-insufficient')).toContain('Not enough credits');
        // Nothing was created and nothing held.
        expect((await apiGet<{ data: unknown[] }>('/generations')).data).toHaveLength(listed);
        expect(await available()).toBe(balance);
        await alert.getByRole('link', { name: /Credits & billing/ }).click();
        await page.waitForURL('**/billing');
        expect(await textOf(page, 'billing-balance')).toBe(String(balance));
        expect(s.problems).toEqual([]);
      },
      STEP_TIMEOUT,
    );

    it(
      'says before anyone pays what the provider here makes of a type (the local model shot has no model)',
      async () => {
        const types = await apiGet<Array<{ type: string; description: string; provider_details: { id: string; delivers: string }[] }>>('/generation-types');
        const modelShot = types.find((t) => t.type === 'model_shot')!;
        await page.goto(url('/studio'));
        await page.getByTestId('type-model_shot').click();
        const first = modelShot.provider_details[0];
        if (first && first.delivers !== modelShot.description) {
          expect(await textOf(page, 'delivers-model_shot')).toBe(`Here you get: ${first.delivers}`);
          if (first.id === 'local') expect(first.delivers).toMatch(/No model/);
        } else {
          expect(await page.getByTestId('delivers-model_shot').count()).toBe(0);
        }
      },
      STEP_TIMEOUT,
    );

    it(
      'fits a phone-sized window without sideways scrolling',
      async () => {
        await page.setViewportSize({ width: 360, height: 780 });
        await page.goto(url('/studio'));
        await page.getByTestId('studio-submit').waitFor();
        await page.getByTestId('generation-list').or(page.getByTestId('generations-empty')).waitFor();
        const overflow = await page.evaluate(() => {
          const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
          return d.scrollWidth - d.clientWidth;
        });
        await page.screenshot({ path: path.join(ROOT, 'test-results/studio-narrow.png'), fullPage: true });
        expect(overflow).toBeLessThanOrEqual(0);
        expect(s.problems).toEqual([]);
      },
      STEP_TIMEOUT,
    );

    it(
      'rates a finished generation on its page with the keyboard, and the server keeps the favourite, the stars and the notes',
      async () => {
        const [g] = (await apiGet<{ data: Array<{ id: string; status: string }> }>('/generations')).data;
        if (!g) {
          // No provider could run one here (see the first test): there is nothing finished to rate.
          expect(upscaleProviders).toEqual([]);
          return;
        }
        await page.goto(url('/studio'));
        await page.locator(`[data-generation-id="${g.id}"]`).getByTestId('generation-details').click();
        await page.waitForURL(`**/library/generations/${g.id}`);
        await page.getByTestId('generation-review').waitFor();
        await checkPage(page, 'en-generation-detail');

        await page.getByLabel('Favourite').check();
        // Arrows move between the stars, as in any group of radio buttons.
        await page.getByRole('radio', { name: '3 stars' }).check();
        await page.keyboard.press('ArrowRight');
        expect(await page.getByRole('radio', { name: '4 stars' }).isChecked()).toBe(true);
        await page.getByLabel('Notes').fill('Crisp edges; keep for the catalogue.');
        await page.getByTestId('generation-review-save').click();
        expect(await textOf(page, 'generation-review-saved')).toBe('Review saved.');
        const kept = await apiGet<{ is_favorited: boolean; user_rating: number | null; user_notes: string | null }>(`/generations/${g.id}`);
        expect(kept).toMatchObject({ is_favorited: true, user_rating: 4, user_notes: 'Crisp edges; keep for the catalogue.' });

        // A reload shows what the server kept; clearing the rating sends null.
        await page.reload();
        expect(await page.getByRole('radio', { name: '4 stars' }).isChecked()).toBe(true);
        await page.getByRole('radio', { name: 'No rating' }).check();
        await page.getByTestId('generation-review-save').click();
        await page.getByTestId('generation-review-saved').waitFor();
        expect((await apiGet<{ user_rating: number | null }>(`/generations/${g.id}`)).user_rating).toBeNull();

        // The same page in Persian on a phone.
        await page.setViewportSize(PHONE);
        await page.getByTestId('menu-button').click();
        await page.getByTestId('language-switcher').selectOption('fa');
        await page.locator('html[lang="fa"][dir="rtl"]').waitFor();
        await page.getByTestId('menu-button').click();
        await page.getByTestId('generation-review').waitFor();
        await checkPage(page, 'fa-generation-detail');
        await page.getByTestId('menu-button').click();
        await page.getByTestId('language-switcher').selectOption('en');
        await page.locator('html[lang="en"]').waitFor();
        await page.getByTestId('menu-button').click();
        await page.setViewportSize({ width: 1280, height: 900 });
        expect(s.problems).toEqual([]);
      },
      STEP_TIMEOUT,
    );
  });
}
