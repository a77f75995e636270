/**
 * Vendor profiles (decision 045): PATCH /me/vendor-profile for vendors (validated, unique slug,
 * `is_verified` not settable), PATCH /admin/users/{id} `vendor_verified` for admins with an audit row,
 * and the public vendor page showing the result.
 * Real: app, database (PGlite or PostgreSQL via TEST_DATABASE_URL), roles, unique index, audit rows.
 * Stand-ins: a manual clock; the admin is a signed-up user promoted by SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { signUp, signUpAdmin } from '../helpers/accounts.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await createTestApp();
  const a = await signUpAdmin(t);
  admin = a.access_token;
});
afterAll(async () => t?.close());

let n = 0;
const vendor = () => signUp(t.app, { account_type: 'vendor', business_name: `Shop ${Date.now().toString(36)} ${++n}` });
const profileRow = async (userId: string) => (await sqlRows<Record<string, unknown>>(t, `select * from vendor_profiles where user_id = '${userId}'`))[0]!;
const patchProfile = (token: string, body: unknown) => call(t.app, 'PATCH', '/api/v1/me/vendor-profile', { token, body });

describe('PATCH /me/vendor-profile', () => {
  it('updates every field, returns the profile, and the public page and GET /me show it', async () => {
    const v = await vendor();
    const slug = `atelier-rose-${n}`;
    const body = {
      business_name: 'Atelier Rose',
      slug,
      bio: 'Hand-printed scarves.',
      location: 'Tehran',
      contact_info: { email: 'Hello@Rose.example', website: 'https://rose.example' },
      social_links: { instagram: 'https://instagram.com/rose' },
    };
    const res = await patchProfile(v.access_token, body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ ...body, contact_info: { email: 'hello@rose.example', website: 'https://rose.example' }, is_verified: false });
    const me = await call(t.app, 'GET', '/api/v1/me', { token: v.access_token });
    expect(me.data.vendor_profile).toMatchObject({ slug, bio: 'Hand-printed scarves.', location: 'Tehran' });
    const page = await call(t.app, 'GET', `/api/v1/public/vendors/${slug}`);
    expect(page.statusCode).toBe(200);
    expect(page.data).toMatchObject({ slug, business_name: 'Atelier Rose', bio: 'Hand-printed scarves.', location: 'Tehran', is_verified: false });
  });

  it('clears bio and location with null and leaves unsent fields alone', async () => {
    const v = await vendor();
    await patchProfile(v.access_token, { bio: 'Old', location: 'Shiraz' });
    const res = await patchProfile(v.access_token, { bio: null });
    expect(res.statusCode).toBe(200);
    expect(res.data).toMatchObject({ bio: null, location: 'Shiraz' });
  });

  it('refuses a slug another vendor has with 409 conflict and changes nothing', async () => {
    const [a, b] = [await vendor(), await vendor()];
    const taken = (await profileRow(a.user.id)).slug as string;
    const before = await profileRow(b.user.id);
    const res = await patchProfile(b.access_token, { slug: taken, business_name: 'Renamed' });
    expect(res.statusCode).toBe(409);
    expect(res.data.code).toBe('conflict');
    expect(await profileRow(b.user.id)).toEqual(before);
    // Keeping one's own slug is no conflict.
    expect((await patchProfile(a.access_token, { slug: taken })).statusCode).toBe(200);
  });

  it('refuses is_verified, unknown fields and bad values with 400 and changes nothing', async () => {
    const v = await vendor();
    const before = await profileRow(v.user.id);
    for (const body of [
      { is_verified: true },
      { slug: 'Not A Slug' },
      { slug: 'a--b' },
      { business_name: '' },
      { social_links: { instagram: 'javascript:alert(1)' } },
      { contact_info: { email: 'not-an-email' } },
      { contact_info: { fax: '123' } },
      { bio: 'x'.repeat(2001) },
    ]) {
      const res = await patchProfile(v.access_token, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.data.code).toBe('validation_failed');
    }
    expect(await profileRow(v.user.id)).toEqual(before);
  });

  it('is 403 for a non-vendor and 401 without a session', async () => {
    const u = await signUp(t.app);
    const res = await patchProfile(u.access_token, { bio: 'hi' });
    expect(res.statusCode).toBe(403);
    expect(res.data.code).toBe('forbidden');
    expect((await patchProfile('', { bio: 'hi' })).statusCode).toBe(401);
  });
});

describe('PATCH /admin/users/{id} vendor_verified', () => {
  const verify = (token: string, id: string, vendor_verified: unknown) => call(t.app, 'PATCH', `/api/v1/admin/users/${id}`, { token, body: { vendor_verified } });
  const audits = (id: string) =>
    sqlRows<{ action: string; details: { before: unknown; after: unknown } }>(t, `select action, details from audit_logs where target_id = '${id}' and action like 'vendor.%' order by action desc`);

  it('verifies and unverifies a vendor with an audit row of before and after; the public page shows it', async () => {
    const v = await vendor();
    const slug = (await profileRow(v.user.id)).slug as string;
    const on = await verify(admin, v.user.id, true);
    expect(on.statusCode, on.body).toBe(200);
    expect(on.data).toMatchObject({ id: v.user.id, vendor_profile: { is_verified: true } });
    expect((await call(t.app, 'GET', `/api/v1/public/vendors/${slug}`)).data.is_verified).toBe(true);
    // Setting the same value again writes nothing.
    expect((await verify(admin, v.user.id, true)).statusCode).toBe(200);
    const off = await verify(admin, v.user.id, false);
    expect(off.data.vendor_profile.is_verified).toBe(false);
    expect(await audits(v.user.id)).toEqual([
      { action: 'vendor.verified', details: { before: { vendor_verified: false }, after: { vendor_verified: true } } },
      { action: 'vendor.unverified', details: { before: { vendor_verified: true }, after: { vendor_verified: false } } },
    ]);
  });

  it('is 403 for a vendor or a user, 409 for a non-vendor, 404 for nobody, 400 for a bad body; nothing written', async () => {
    const v = await vendor();
    const u = await signUp(t.app);
    for (const token of [v.access_token, u.access_token]) {
      const res = await verify(token, v.user.id, true);
      expect(res.statusCode).toBe(403);
      expect(res.data.code).toBe('forbidden');
    }
    const notVendor = await verify(admin, u.user.id, true);
    expect(notVendor.statusCode).toBe(409);
    expect(notVendor.data.code).toBe('conflict');
    const nobody = await verify(admin, '00000000-0000-4000-8000-000000000000', true);
    expect(nobody.statusCode).toBe(404);
    expect(nobody.data.code).toBe('not_found');
    const bad = await verify(admin, v.user.id, 'yes');
    expect(bad.statusCode).toBe(400);
    expect(bad.data.code).toBe('validation_failed');
    expect((await profileRow(v.user.id)).is_verified).toBe(false);
    expect(await audits(v.user.id)).toEqual([]);
    expect(await audits(u.user.id)).toEqual([]);
  });
});
