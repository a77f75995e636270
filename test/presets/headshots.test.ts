/**
 * The headshots product (seed 002) end to end on the embedded default: a credit pack bought, a
 * subject prepared from three photos on this machine, a batch of references × 4, the gallery, a
 * gift card bought for a friend and redeemed, and the admin's view.
 * Real: a server started with ATELIER_PRESET=headshots (preset-server.ts) on a fresh database, the
 * local provider (face-api's packaged models, the segmenter, sharp), the queue and workers, HTTP
 * over a real port, manual payments. Stand-ins: none; the photos are portraits cut from the sample
 * photos the face-api package ships (local/testing/portraits.ts); the gift card's email goes to the
 * dev outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portrait } from '../../src/modules/generation/providers/local/testing/portraits.ts';
import { uniqueEmail } from '../helpers/accounts.ts';
import { buyManually, emailUser, startPresetServer, type PresetServer } from './preset-server.ts';

let s: PresetServer;
beforeAll(async () => {
  s = await startPresetServer('headshots');
}, 60_000);
afterAll(async () => s?.close());

const register = (email = uniqueEmail('face')) => emailUser(s, email);

describe('headshots preset', () => {
  it('offers the headshot studio with its packs, backgrounds and prices', async () => {
    expect((await s.api('GET', '/config')).data).toMatchObject({ preset: 'headshots', studios: ['headshots'], currency: 'USD' });
    const packs = (await s.api('GET', '/billing/packages')).data.data;
    expect(packs.map((p: any) => p.name)).toEqual(['Starter', 'Pro', 'Premium']);
    const backgrounds = (await s.api('GET', '/styles?studio=headshots&kind=background')).data.data;
    expect(backgrounds.map((b: any) => b.key)).toEqual(expect.arrayContaining(['studio_grey', 'office', 'outdoor', 'gradient']));
    const types = (await s.api('GET', '/generation-types')).data;
    expect(types.map((t: any) => [t.type, t.credits_per_output])).toEqual(expect.arrayContaining([['subject_training', 5], ['headshot', 1]]));
  });

  it('prepares a subject and makes a batch of headshots after buying a pack', { timeout: 300_000 }, async () => {
    const token = await register();
    expect((await s.api('GET', '/me', { token })).data.credits.available).toBe(0);
    const starter = (await s.api('GET', '/billing/packages')).data.data.find((p: any) => p.name === 'Starter');
    await buyManually(s, token, { package_id: starter.id });
    expect((await s.api('GET', '/credits', { token })).data.available).toBe(25);

    const photos = [
      await s.upload(token, await portrait('ava')),
      await s.upload(token, await portrait('ava', { zoom: 3.6, mirror: true, shift: [0.2, 0] })),
      await s.upload(token, await portrait('ava', { zoom: 2.6, light: 1.15 })),
    ];
    const created = await s.api('POST', '/subjects', { token, body: { name: 'Ava', gender: 'female', image_asset_ids: photos } });
    expect(created.status, JSON.stringify(created.data)).toBe(202);
    let subject = created.data;
    for (let i = 0; i < 2400 && subject.status === 'training'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      subject = (await s.api('GET', `/subjects/${subject.id}`, { token })).data;
    }
    expect(subject, JSON.stringify(subject.error)).toMatchObject({ status: 'ready' });
    expect((await s.api('GET', '/credits', { token })).data.available).toBe(20);

    const batch = await s.api('POST', '/generation-batches', {
      token,
      body: { subject_id: subject.id, reference_asset_ids: [photos[0]], images_per_reference: 4, params: { aspect_ratio: '1:1', glasses: 'no', backgrounds: ['office'] } },
    });
    expect(batch.status, JSON.stringify(batch.data)).toBe(202);
    const outputs: string[] = [];
    for (const id of batch.data.generation_ids as string[]) {
      const g = await s.settled(token, id, 240_000);
      expect(g, JSON.stringify(g.error)).toMatchObject({ status: 'completed', type: 'headshot' });
      outputs.push(...g.outputs.map((o: any) => o.id));
    }
    expect(outputs).toHaveLength(4);
    const totals = (await s.api('GET', `/generation-batches/${batch.data.id}`, { token })).data;
    expect(totals).toMatchObject({ status: 'completed' });
    const fav = await s.api('PATCH', `/assets/${outputs[0]}`, { token, body: { is_favorite: true, rating: 5 } });
    expect(fav.data).toMatchObject({ is_favorite: true, rating: 5 });
    expect((await s.api('GET', '/assets?favorite=true', { token })).data.data.map((a: any) => a.id)).toEqual([outputs[0]]);
    expect((await s.api('GET', '/credits', { token })).data).toMatchObject({ available: 16, held: 0 });

    // A gift card of the Starter pack for a friend, who redeems it.
    const friendEmail = uniqueEmail('friend');
    const gift = await s.api('POST', '/billing/checkout', { token, body: { gift_card: { package_id: starter.id, recipient_email: friendEmail }, provider: 'manual' } });
    expect(gift.status, JSON.stringify(gift.data)).toBe(201);
    expect((await s.api('POST', `/billing/manual/${gift.data.payment.id}/complete`, { token })).status).toBe(200);
    const mail = (await s.api('GET', `/dev/outbox?to=${encodeURIComponent(friendEmail)}`)).data.data[0];
    const code = /[A-Z0-9]{4}(?:-[A-Z0-9]{4}){2,}/.exec(mail.body)?.[0];
    expect(code, mail.body).toBeTruthy();
    const friend = await register(friendEmail);
    const redeemed = await s.api('POST', '/billing/gift-cards/redeem', { token: friend, body: { code } });
    expect(redeemed.status, JSON.stringify(redeemed.data)).toBe(200);
    expect(redeemed.data).toMatchObject({ credits_awarded: 25, available: 25 });

    const admin = await s.admin();
    const list = await s.api('GET', '/admin/generations?type=headshot', { token: admin });
    expect(list.data.data.map((g: any) => g.id)).toEqual(expect.arrayContaining(batch.data.generation_ids));
    await s.invariants();
  });
});
