/**
 * A plan's bounds on uploads (issue 16, item 9; decision 110): uploads an hour (429 with
 * Retry-After past them, counted so that deleting gives nothing back), bytes held by a user's own
 * uploads (403 quota_exceeded past them, exact under parallel uploads, nothing left behind), and
 * training photos and avatars kept only while a subject, a product or a profile uses them.
 * Real: buildApp(), the database, sharp, local-disk storage, the plan rows, the retention job's
 * handler as the composition root builds it, parallel requests.
 * Stand-ins: a manual clock moved past windows and expiries; the subject is inserted by SQL (its
 * POST, which runs a training generation, is test/catalog/subjects.test.ts's); the plan's bounds
 * are set small by SQL, as an admin would set them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countRows, signUp } from '../helpers/accounts.ts';
import { call, createTestApp, runJob, sqlRows, type TestApp } from '../helpers/app.ts';
import { makeImage, makeNoisePng, upload } from '../helpers/media.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const setFreePlan = (storageMb: number | null, perHour: number | null) =>
  sqlRows(t, `update plans set upload_storage_mb = ${storageMb ?? 'null'}, uploads_per_hour = ${perHour ?? 'null'} where name = 'free'`);

async function filesOf(userId: string): Promise<string[]> {
  const dir = path.join(t.config.dataDir, 'files', 'assets', userId);
  return (await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])).filter((e) => e.isFile()).map((e) => path.join(path.relative(dir, e.parentPath), e.name));
}

const small = async (token: string, name = 'a.png', purpose?: string) =>
  upload(t.app, token, { filename: name, data: await makeImage(16, 16, 'png') }, purpose ? { purpose } : {});

describe('uploads an hour', () => {
  beforeEach(() => setFreePlan(null, 3));

  it('lets exactly the plan’s number through from parallel uploads, refuses the rest with 429 and Retry-After, and writes nothing for them', async () => {
    const u = await signUp(t.app);
    const image = await makeImage(16, 16, 'png');
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => upload(t.app, u.access_token, { filename: `${i}.png`, data: image })));
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(3);
    const refused = answers.filter((a) => a.statusCode !== 201);
    expect(refused).toHaveLength(3);
    for (const r of refused) {
      expect(r.statusCode).toBe(429);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.data).toMatchObject({ code: 'rate_limited', limit: 3 });
      const retryAfter = Number(r.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(3500);
      expect(retryAfter).toBeLessThanOrEqual(3600);
    }
    expect(await countRows(t, `select count(*) as n from assets where owner_id = '${u.user.id}'`)).toBe(3);
    expect(await filesOf(u.user.id)).toHaveLength(6); // three originals and their thumbnails
  });

  it('does not give an upload back when one is deleted, and opens a new window an hour later', async () => {
    const u = await signUp(t.app);
    const first = await small(u.access_token);
    await small(u.access_token);
    await small(u.access_token);
    expect((await call(t.app, 'DELETE', `/api/v1/assets/${first.data.id}`, { token: u.access_token })).statusCode).toBe(204);
    expect((await small(u.access_token)).statusCode).toBe(429);
    t.clock.advance(HOUR);
    const token = (await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: u.email, password: u.password } })).data.access_token;
    expect((await small(token)).statusCode).toBe(201);
  });

  it('shows the bounds on the plan (GET /me, GET /billing/plans)', async () => {
    await setFreePlan(1024, 120);
    const u = await signUp(t.app);
    expect((await call(t.app, 'GET', '/api/v1/me', { token: u.access_token })).data.plan).toMatchObject({ upload_storage_mb: 1024, uploads_per_hour: 120 });
    const plans = (await call(t.app, 'GET', '/api/v1/billing/plans')).data.data as Array<{ name: string; upload_storage_mb: number | null; uploads_per_hour: number | null }>;
    for (const p of plans) expect(p).toHaveProperty('upload_storage_mb');
  });
});

describe('bytes held by uploads', () => {
  beforeEach(() => setFreePlan(1, null));

  it('refuses what would pass the plan’s megabytes with 403 quota_exceeded, exactly under parallel uploads, leaving no file or row', async () => {
    const u = await signUp(t.app);
    const noise = await makeNoisePng(300, 300); // ~270 kB: three fit in 1 MiB, four do not
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => upload(t.app, u.access_token, { filename: `${i}.png`, data: noise })));
    const ok = answers.filter((a) => a.statusCode === 201);
    expect(ok).toHaveLength(3);
    for (const r of answers.filter((a) => a.statusCode !== 201)) {
      expect(r.statusCode).toBe(403);
      expect(r.data).toMatchObject({ code: 'quota_exceeded', limit: 1024 * 1024, resets_at: null, unit: 'bytes' });
      expect(r.data.used).toBeGreaterThan(0);
    }
    const [held] = await sqlRows<{ n: string }>(t, `select sum(size_bytes)::text as n from assets where owner_id = '${u.user.id}'`);
    expect(Number(held!.n)).toBeLessThanOrEqual(1024 * 1024);
    expect((await filesOf(u.user.id)).sort()).toEqual(ok.flatMap((a) => [`${a.data.id}/original.png`, `${a.data.id}/thumb.webp`]).sort());

    // Deleting one makes room again.
    expect((await call(t.app, 'DELETE', `/api/v1/assets/${ok[0]!.data.id}`, { token: u.access_token })).statusCode).toBe(204);
    expect((await upload(t.app, u.access_token, { filename: 'again.png', data: noise })).statusCode).toBe(201);
  });
});

describe('training photos and avatars', () => {
  beforeEach(() => setFreePlan(null, null));

  it('go a week after upload unless a subject, a product or the profile uses them; used ones are looked at again a week later', async () => {
    const u = await signUp(t.app);
    const [bySubject, byProduct, asAvatar, unusedTraining, unusedAvatar] = await Promise.all([
      small(u.access_token, 's.png', 'training'),
      small(u.access_token, 'p.png', 'training'),
      small(u.access_token, 'a.png', 'avatar'),
      small(u.access_token, 't.png', 'training'),
      small(u.access_token, 'v.png', 'avatar'),
    ]);
    for (const a of [bySubject, byProduct, asAvatar, unusedTraining, unusedAvatar]) {
      expect(a.statusCode).toBe(201);
      expect(new Date(a.data.expires_at).getTime() - new Date(a.data.created_at).getTime()).toBe(7 * DAY);
    }
    const [subject] = await sqlRows<{ id: string }>(t, `insert into subjects (user_id, name, gender, status, images_count) values ('${u.user.id}', 'Ana', 'female', 'ready', 1) returning id`);
    await sqlRows(t, `insert into subject_images (subject_id, asset_id, position) values ('${subject!.id}', '${bySubject.data.id}', 0)`);
    expect((await call(t.app, 'POST', '/api/v1/products', { token: u.access_token, body: { name: 'Mug', image_asset_ids: [byProduct.data.id] } })).statusCode).toBe(201);
    expect((await call(t.app, 'PATCH', '/api/v1/me', { token: u.access_token, body: { avatar_asset_id: asAvatar.data.id } })).statusCode).toBe(200);

    t.clock.advance(7 * DAY + 1000);
    await runJob(t, 'media.retention');
    const left = await sqlRows<{ id: string; expires_at: Date }>(t, `select id, expires_at from assets where owner_id = '${u.user.id}'`);
    expect(left.map((a) => a.id).sort()).toEqual([bySubject.data.id, byProduct.data.id, asAvatar.data.id].sort());
    for (const a of left) expect(new Date(a.expires_at).getTime()).toBe(t.clock.now().getTime() + 7 * DAY);
    const files = await filesOf(u.user.id);
    expect(files.some((f) => f.startsWith(unusedTraining.data.id) || f.startsWith(unusedAvatar.data.id))).toBe(false);
    expect(files).toHaveLength(6);

    // The subject goes: its photo is unused from then on and goes at the next look.
    const token = (await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: u.email, password: u.password } })).data.access_token;
    expect((await call(t.app, 'DELETE', `/api/v1/subjects/${subject!.id}`, { token })).statusCode).toBe(204);
    t.clock.advance(7 * DAY + 1000);
    await runJob(t, 'media.retention');
    const after = await sqlRows<{ id: string }>(t, `select id from assets where owner_id = '${u.user.id}'`);
    expect(after.map((a) => a.id).sort()).toEqual([byProduct.data.id, asAvatar.data.id].sort());
  });
});
