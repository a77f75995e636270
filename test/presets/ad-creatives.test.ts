/**
 * The ad-creatives product (seed 004) end to end on the embedded default: the starter template
 * library by category with metrics, an `ad_creative` from a template and a product photo on the
 * watermarked free plan, a paid plan without watermark, and the admin's view.
 * Real: a server started with ATELIER_PRESET=ad-creatives (preset-server.ts) on a fresh database,
 * the local provider's ad renderer, the queue and workers, HTTP over a real port, manual payments
 * (ATELIER_PAYMENTS_MANUAL=on, what the README offers offline). Stand-ins: none.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueEmail } from '../helpers/accounts.ts';
import { buyManually, emailUser, startPresetServer, type PresetServer } from './preset-server.ts';

let s: PresetServer;
beforeAll(async () => {
  s = await startPresetServer('ad-creatives');
}, 60_000);
afterAll(async () => s?.close());

const product = () =>
  sharp({ create: { width: 400, height: 400, channels: 3, background: { r: 245, g: 245, b: 245 } } })
    .composite([{ input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><rect x="140" y="80" width="120" height="240" rx="30" fill="#c0392b"/></svg>') }])
    .jpeg()
    .toBuffer();

describe('ad-creatives preset', () => {
  it('ships a starter library: 12+ templates in 6+ categories, with layouts and metrics', async () => {
    const config = await s.api('GET', '/config');
    expect(config.data).toMatchObject({ preset: 'ad-creatives', studios: ['ad-creatives'], currency: 'USD', sign_up: { email: true, phone: false } });
    const categories = (await s.api('GET', '/categories')).data.data;
    expect(categories.length).toBeGreaterThanOrEqual(6);
    const templates = (await s.api('GET', '/templates?limit=100')).data.data;
    expect(templates.length).toBeGreaterThanOrEqual(12);
    for (const t of templates) {
      expect(t.layout).toMatchObject({ image_box: expect.any(Object), headline: expect.any(Object), body: expect.any(Object), cta: expect.any(Object), logo: expect.any(Object), colors: { background: expect.stringMatching(/^#/) }, fonts: expect.any(Object) });
    }
    const seasonal = (await s.api('GET', '/templates?category=seasonal')).data.data;
    expect(seasonal.length).toBeGreaterThanOrEqual(2);
    const metrics = await s.api('GET', `/templates/${templates[0].id}/metrics`);
    expect(metrics.data.data[0]).toMatchObject({ ctr: expect.any(Number), impressions: expect.any(Number) });
    const plans = (await s.api('GET', '/billing/plans')).data.data;
    expect(plans.map((p: any) => [p.name, p.has_watermark])).toEqual([
      ['free', true],
      ['pro', false],
      ['business', false],
    ]);
  });

  it('makes an ad from a template and a product photo; watermarked on free, not on a paid plan', { timeout: 180_000 }, async () => {
    const email = uniqueEmail('ads');
    const token = await emailUser(s, email);
    expect((await s.api('GET', '/me', { token })).data).toMatchObject({ credits: { available: 5 }, plan: { name: 'free', has_watermark: true } });
    const photo = await s.upload(token, await product());
    const template = (await s.api('GET', '/templates?featured=true')).data.data[0];
    const body = {
      type: 'ad_creative',
      template_id: template.id,
      source_asset_ids: [photo],
      params: { headline: 'Fresh from the valley', body: 'Cold-pressed every morning.', cta: 'Order now', brand_colors: ['#c0392b'] },
    };
    const free = await s.api('POST', '/generations', { token, body });
    expect(free.status, JSON.stringify(free.data)).toBe(202);
    const done = await s.settled(token, free.data.id);
    expect(done, JSON.stringify(done.error)).toMatchObject({ status: 'completed', credits_used: 1 });
    expect(done.outputs[0]).toMatchObject({ width: expect.any(Number), height: expect.any(Number) });

    const pro = (await s.api('GET', '/billing/plans')).data.data.find((p: any) => p.name === 'pro');
    await buyManually(s, token, { plan_id: pro.id });
    expect((await s.api('GET', '/me', { token })).data).toMatchObject({ plan: { name: 'pro', has_watermark: false }, credits: { available: 104 } });
    const paid = await s.api('POST', '/generations', { token, body });
    expect(paid.status).toBe(202);
    expect(await s.settled(token, paid.data.id)).toMatchObject({ status: 'completed' });

    const admin = await s.admin();
    const list = await s.api('GET', '/admin/generations?type=ad_creative', { token: admin });
    expect(list.data.data.map((g: any) => g.id)).toEqual(expect.arrayContaining([free.data.id, paid.data.id]));
    await s.invariants();
  });
});
