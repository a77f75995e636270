/**
 * Media limits from the owner's effective plan: the vendor album quota (Vendor Free 10, Vendor Pro
 * 500), upload retention (free 30 days, paid a year), result retention (free 30 days, paid kept),
 * and the sweeper keeping an asset whose owner has since upgraded.
 * Real: app, database, sharp, local-disk storage, checkout and fulfilment, the admin plans API, the
 * sweeper the retention job runs with the limits the jobs hand it.
 * Stand-ins: the `manual` provider plays the gateway; a manual clock; the admin is a signed-up user
 * promoted with SQL; the sweeper is called directly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanLimits } from '../../src/modules/billing/index.ts';
import { sweepExpiredAssets } from '../../src/modules/media/index.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { countRows, signUp, signUpAdmin } from '../helpers/accounts.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { buyPlan, planIds } from '../helpers/billing.ts';
import { makeImage, upload } from '../helpers/media.ts';

const DAY = 86_400_000;
let t: TestApp;
let plans: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp({ env: { ATELIER_PAYMENTS_MANUAL: 'on' } });
  plans = await planIds(t.app);
});
afterAll(async () => t?.close());

const limits = () => createPlanLimits({ db: t.database.db, clock: t.clock });
// Uploads and results only here: training photos and avatars (kept while used) are test/media/upload-limits.test.ts's.
const keptWhileUsed = { inUse: async () => false, unusedDays: 7 };
const sweep = () => sweepExpiredAssets({ db: t.database.db, storage: t.storage, clock: t.clock, log: createLogger('silent'), limits: limits(), ...keptWhileUsed });
const put = async (token: string, name = 'a.png') => (await upload(t.app, token, { filename: name, data: await makeImage(8, 8, 'png') })).data;
const lifetime = (asset: { created_at: string; expires_at: string | null }) =>
  asset.expires_at === null ? null : (new Date(asset.expires_at).getTime() - new Date(asset.created_at).getTime()) / DAY;

async function fillAlbum(token: string, count: number) {
  const album = (await call(t.app, 'POST', '/api/v1/collections', { token, body: { name: 'Shop', is_public: true } })).data;
  const codes: number[] = [];
  for (let i = 0; i < count; i++) {
    const asset = await put(token, `${i}.png`);
    const res = await call(t.app, 'POST', `/api/v1/collections/${album.id}/items`, { token, body: { asset_id: asset.id } });
    codes.push(res.statusCode);
    if (res.statusCode === 403) expect(res.data.code).toBe('quota_exceeded');
  }
  return codes;
}

describe('vendor album quota', () => {
  it('Vendor Free shows 10 images and refuses the 11th with 403 quota_exceeded; Vendor Pro takes it', async () => {
    const free = await signUp(t.app, { account_type: 'vendor', business_name: 'Free Shop' });
    expect(await fillAlbum(free.access_token, 11)).toEqual([...Array(10).fill(201), 403]);

    const pro = await signUp(t.app, { account_type: 'vendor', business_name: 'Pro Shop' });
    await buyPlan(t.app, pro.access_token, plans.vendor_pro!);
    expect(await fillAlbum(pro.access_token, 11)).toEqual(Array(11).fill(201));
  });
});

describe('retention by plan', () => {
  it("a free user's upload expires in 30 days, a paid user's in a year; results: 30 days free, kept on a paid plan", async () => {
    const free = await signUp(t.app);
    const paid = await signUp(t.app);
    await buyPlan(t.app, paid.access_token, plans.basic!);
    expect(lifetime(await put(free.access_token))).toBe(30);
    expect(lifetime(await put(paid.access_token))).toBe(365);
    expect(await limits().retentionDays(free.user.id, 'result')).toBe(30);
    expect(await limits().retentionDays(paid.user.id, 'result')).toBeNull();
    expect(await limits().retentionDays(paid.user.id, 'training')).toBeNull();
    // A user plan's gallery_limit is not an album quota.
    expect(await limits().galleryImages(free.user.id)).toBeNull();
  });

  it('follows a plan changed by an admin', async () => {
    const admin = await signUpAdmin(t);
    const u = await signUp(t.app);
    await buyPlan(t.app, u.access_token, plans.advanced!);
    const patched = await call(t.app, 'PATCH', `/api/v1/admin/plans/${plans.advanced}`, { token: admin.access_token, body: { upload_retention_days: 90 } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.data.upload_retention_days).toBe(90);
    expect(lifetime(await put(u.access_token))).toBe(90);
    expect((await call(t.app, 'PATCH', `/api/v1/admin/plans/${plans.advanced}`, { token: admin.access_token, body: { upload_retention_days: 0 } })).statusCode).toBe(400);
    await call(t.app, 'PATCH', `/api/v1/admin/plans/${plans.advanced}`, { token: admin.access_token, body: { upload_retention_days: 365 } });
  });

  it('the sweeper keeps, with a later expiry, an upload whose owner has upgraded, and deletes one whose owner has not', async () => {
    const stays = await signUp(t.app);
    const goes = await signUp(t.app);
    const kept = await put(stays.access_token);
    const lost = await put(goes.access_token);
    expect(lifetime(kept)).toBe(30);
    // Two monthly periods, so the plan is still in force 31 days on whatever the month.
    await buyPlan(t.app, stays.access_token, plans.basic!);
    await buyPlan(t.app, stays.access_token, plans.basic!);
    t.clock.advance(31 * DAY);
    await sweep();
    expect(await countRows(t, `select count(*) as n from assets where id = '${lost.id}'`)).toBe(0);
    const [row] = await sqlRows<{ expires_at: Date | string }>(t, `select expires_at from assets where id = '${kept.id}'`);
    expect(new Date(row!.expires_at).getTime() - new Date(kept.created_at).getTime()).toBe(365 * DAY);
    expect(await sweep()).toBe(0);
  });
});
