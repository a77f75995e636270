/**
 * The print-prep product (seed 001) end to end on the embedded default: upload → `upscale` →
 * `background_removal` of its output → `vectorize` of that (chained: an output is a source) → a
 * collection → a zip; plans and packages in dollars; a pack bought; the admin's view.
 * Real: a server started with ATELIER_PRESET=print-prep (preset-server.ts) on a fresh database, the
 * local provider (sharp, the segmenter, potrace), the queue and workers, HTTP over a real port,
 * manual payments. Stand-ins: none.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueEmail } from '../helpers/accounts.ts';
import { buyManually, emailUser, startPresetServer, type PresetServer } from './preset-server.ts';

let s: PresetServer;
beforeAll(async () => {
  s = await startPresetServer('print-prep');
}, 60_000);
afterAll(async () => s?.close());

const design = () =>
  sharp({ create: { width: 240, height: 240, channels: 3, background: { r: 255, g: 255, b: 255 } } })
    .composite([{ input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240"><circle cx="120" cy="120" r="70" fill="#1d3557"/><rect x="95" y="40" width="50" height="160" fill="#e63946"/></svg>') }])
    .png()
    .toBuffer();

describe('print-prep preset', () => {
  it('sells seed 001’s plans and packs in dollars and offers the print-prep operations', async () => {
    expect((await s.api('GET', '/config')).data).toMatchObject({ preset: 'print-prep', studios: ['print-prep'], currency: 'USD' });
    expect((await s.api('GET', '/billing/plans')).data.data.map((p: any) => p.name)).toEqual(['free', 'basic', 'starter']);
    const packs = (await s.api('GET', '/billing/packages')).data.data;
    expect(packs.map((p: any) => p.credits)).toEqual([10, 20, 50]);
    expect(new Set(packs.map((p: any) => p.currency))).toEqual(new Set(['USD']));
    const types = (await s.api('GET', '/generation-types')).data.map((t: any) => t.type);
    expect(types).toEqual(expect.arrayContaining(['upscale', 'background_removal', 'vectorize']));
  });

  it('chains upscale → background removal → vectorize, collects the results and zips them', { timeout: 240_000 }, async () => {
    const token = await emailUser(s, uniqueEmail('dtf'));
    expect((await s.api('GET', '/credits', { token })).data.available).toBe(2);
    const pack = (await s.api('GET', '/billing/packages')).data.data[0];
    await buyManually(s, token, { package_id: pack.id });
    expect((await s.api('GET', '/credits', { token })).data.available).toBe(12);

    let source = await s.upload(token, await design(), 'design.png', 'image/png');
    const outputs: string[] = [];
    for (const type of ['upscale', 'background_removal', 'vectorize']) {
      const res = await s.api('POST', '/generations', { token, body: { type, source_asset_ids: [source] } });
      expect(res.status, `${type}: ${JSON.stringify(res.data)}`).toBe(202);
      const done = await s.settled(token, res.data.id);
      expect(done, `${type}: ${JSON.stringify(done.error)}`).toMatchObject({ status: 'completed', credits_used: 1 });
      source = done.outputs[0].id;
      outputs.push(source);
    }
    const [upscaled, cutOut, vector] = await Promise.all(outputs.map(async (id) => (await s.api('GET', `/assets/${id}`, { token })).data));
    expect(upscaled.width).toBeGreaterThan(240);
    expect(cutOut.mime_type).toBe('image/png');
    expect(vector.mime_type).toBe('image/svg+xml');

    const collection = await s.api('POST', '/collections', { token, body: { name: 'Order 1042' } });
    expect(collection.status).toBe(201);
    for (const id of outputs) expect((await s.api('POST', `/collections/${collection.data.id}/items`, { token, body: { asset_id: id } })).status).toBe(201);
    const zip = await fetch(`${s.url}/api/v1/assets/zip`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ collection_id: collection.data.id }),
    });
    expect(zip.status).toBe(200);
    const bytes = Buffer.from(await zip.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    expect(bytes.includes(Buffer.from('metadata.json'))).toBe(true);
    expect((await s.api('GET', '/credits', { token })).data).toMatchObject({ available: 9, held: 0 });

    const admin = await s.admin();
    const list = await s.api('GET', '/admin/generations', { token: admin });
    expect(list.data.data.length).toBeGreaterThanOrEqual(3);
    await s.invariants();
  });
});
