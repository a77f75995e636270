/**
 * Admin users (decision 060): GET /admin/users (search, filters, keyset pages), GET /admin/users/{id}
 * (balance, plan, payments and generations counts), GET /admin/users/{id}/activity, and
 * PATCH /admin/users/{id} `role` / `is_active` (one transaction, one audit row per change; disabling
 * revokes every session and API key; the last active admin stays).
 * Real: app, database (PGlite or PostgreSQL via TEST_DATABASE_URL), sign-up, sign-in, API keys, the
 * auth hook, manual-provider payments, uploads and counted downloads, audit rows, row locks under
 * parallel requests (on PostgreSQL truly concurrent; PGlite has one connection and serialises them).
 * Stand-ins: a manual clock; admins are signed-up users promoted by SQL; generations are inserted by
 * SQL (their counts and feed rows are what is tested, not the engine).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, signUp, signUpAdmin, uniqueEmail } from '../helpers/accounts.ts';
import { call, createTestApp, sqlAuthChange, sqlRows, type TestApp } from '../helpers/app.ts';
import { makeImage, upload } from '../helpers/media.ts';
import { allPages as pages } from '../helpers/pages.ts';

type Account = Awaited<ReturnType<typeof signUp>>;
let t: TestApp;
let admin: Account;
beforeAll(async () => {
  t = await createTestApp({ env: { ATELIER_PAYMENTS_MANUAL: 'on' } });
 admin = await signUpAdmin(t);
});
afterAll(async () => t?.close());

const get = (token: string, url: string) => call(t.app, 'GET', `/api/v1${url}`, { token });
/** The test clock stands still, so it moves a millisecond after each write: audit rows then sort in the order of the writes. */
const patch = async (token: string, id: string, body: unknown) => {
  const res = await call(t.app, 'PATCH', `/api/v1/admin/users/${id}`, { token, body });
  t.clock.advance(1);
  return res;
};
const audits = (id: string) =>
  sqlRows<{ action: string; actor_id: string; details: Record<string, unknown> }>(
    t,
    `select action, actor_id, details from audit_logs where target_id = '${id}' and (action like 'user.%' or action like 'vendor.%') order by created_at, id`,
  );
const activeAdmins = () => countRows(t, `select count(*) as n from users where role = 'admin' and is_active`);
const allPages = (token: string, url: string, limit: number) => pages(t.app, token, url, limit);

describe('GET /admin/users', () => {
  it('searches email, phone and name case-insensitively, filters by role and is_active, pages newest first', async () => {
    const tag = `zq${Date.now().toString(36)}`;
    const byEmail = await signUp(t.app, { email: uniqueEmail(tag) });
    const phone = `+98935${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    const byPhone = await signUp(t.app, { email: undefined, phone });
    const byName = await signUp(t.app, { full_name: `Ms ${tag.toUpperCase()} Rose` });
    const vendor = await signUp(t.app, { account_type: 'vendor', business_name: `Shop ${tag}` });
    await sqlAuthChange(t, `update users set is_active = false where id = '${byName.user.id}'`);

    const ids = async (query: string) => (await allPages(admin.access_token, `/admin/users?${query}`, 2)).map((u) => u.id);
    expect(await ids(`q=${tag}`)).toEqual(expect.arrayContaining([byEmail.user.id, byName.user.id]));
    expect(await ids(`q=${tag}`)).not.toContain(byPhone.user.id);
    expect(await ids(`q=${encodeURIComponent(phone.slice(3, 11))}`)).toEqual([byPhone.user.id]);
    expect(await ids(`q=${tag.toUpperCase()}&is_active=false`)).toEqual([byName.user.id]);
    expect(await ids(`q=${tag}&is_active=true`)).toEqual([byEmail.user.id]);
    // LIKE wildcards in q are taken literally.
    expect(await ids('q=%25')).toEqual([]);

    const vendors = await allPages(admin.access_token, '/admin/users?role=vendor', 1);
    expect(vendors.map((u) => u.id)).toContain(vendor.user.id);
    expect(vendors.every((u) => u.role === 'vendor')).toBe(true);

    const everyone = await allPages(admin.access_token, '/admin/users', 3);
    expect(everyone.length).toBe(await countRows(t, 'select count(*) as n from users'));
    expect(new Set(everyone.map((u) => u.id)).size).toBe(everyone.length);
    const keys = everyone.map((u) => `${u.created_at}|${u.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(everyone.find((u) => u.id === byEmail.user.id)).toMatchObject({ email: byEmail.email, role: 'user', is_active: true, email_verified: true });
  });

  it('refuses bad filters and cursors with 400', async () => {
    for (const query of ['role=root', 'is_active=yes', 'limit=0', 'cursor=nope']) {
      const res = await get(admin.access_token, `/admin/users?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.data.code).toBe('validation_failed');
    }
  });

  it('is 403 for users and vendors on every admin users route, 401 without a token', async () => {
    const u = await signUp(t.app);
    const v = await signUp(t.app, { account_type: 'vendor', business_name: `Shop ${Date.now().toString(36)}` });
    for (const token of [u.access_token, v.access_token]) {
      for (const url of ['/admin/users', `/admin/users/${u.user.id}`, `/admin/users/${u.user.id}/activity`]) {
        const res = await get(token, url);
        expect(res.statusCode, url).toBe(403);
        expect(res.data.code).toBe('forbidden');
      }
      const res = await patch(token, u.user.id, { role: 'admin' });
      expect(res.statusCode).toBe(403);
    }
    expect((await get('', '/admin/users')).statusCode).toBe(401);
    expect((await sqlRows(t, `select role from users where id = '${u.user.id}'`))[0]).toEqual({ role: 'user' });
  });
});

describe('GET /admin/users/{id} and /activity', () => {
  it('shows balance, plan and counts equal to what the database holds, and the activity newest first', async () => {
    const u = await signUp(t.app);
    expect((await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: u.email, password: u.password } })).statusCode).toBe(200);
    const pkg = (await call(t.app, 'GET', '/api/v1/billing/packages')).data.data[0];
    const checkout = await call(t.app, 'POST', '/api/v1/billing/checkout', { token: u.access_token, body: { package_id: pkg.id, provider: 'manual' } });
    expect(checkout.statusCode, checkout.body).toBe(201);
    const paid = await call(t.app, 'POST', `/api/v1/billing/manual/${checkout.data.payment.id}/complete`, { token: u.access_token });
    expect(paid.statusCode, paid.body).toBe(200);
    await call(t.app, 'POST', '/api/v1/billing/checkout', { token: u.access_token, body: { package_id: pkg.id, provider: 'manual' } });
    for (const status of ['completed', 'failed']) {
      await sqlRows(
        t,
        `insert into generations (user_id, type, studio, provider, status, credits_per_output, credits_reserved, credits_used, deadline_at)
         values ('${u.user.id}', 'background_removal', 'product', 'local', '${status}', 1, 1, ${status === 'completed' ? 1 : 0}, now() + interval '1 hour')`,
      );
    }
    const asset = await upload(t.app, u.access_token, { filename: 'shot.png', data: await makeImage(40, 30, 'png') });
    expect(asset.statusCode, asset.body).toBe(201);
    for (let i = 0; i < 2; i++) expect((await get(u.access_token, `/assets/${asset.data.id}/content?download=1`)).statusCode).toBe(200);
    await upload(t.app, u.access_token, { filename: 'never-downloaded.png', data: await makeImage(20, 20, 'png') });

    const detail = await get(admin.access_token, `/admin/users/${u.user.id}`);
    expect(detail.statusCode, detail.body).toBe(200);
    const [balance] = await sqlRows<{ available: number; held: number }>(t, `select available, held from credit_balances where user_id = '${u.user.id}'`);
    const me = (await get(u.access_token, '/me')).data;
    expect(detail.data).toMatchObject({
      id: u.user.id,
      email: u.email,
      credits: { available: balance!.available, held: balance!.held },
      plan: me.plan,
      payments_count: await countRows(t, `select count(*) as n from payments where user_id = '${u.user.id}'`),
      generations_count: await countRows(t, `select count(*) as n from generations where user_id = '${u.user.id}'`),
    });
    expect(detail.data.payments_count).toBe(2);
    expect(detail.data.generations_count).toBe(2);
    expect(detail.data.credits.available).toBeGreaterThan(0);

    const feed = await allPages(admin.access_token, `/admin/users/${u.user.id}/activity`, 2);
    const count = (kind: string) => feed.filter((a) => a.kind === kind).length;
    expect(count('login')).toBe(await countRows(t, `select count(*) as n from sessions where user_id = '${u.user.id}'`));
    expect(count('login')).toBeGreaterThanOrEqual(2);
    expect(count('generation')).toBe(2);
    expect(count('payment')).toBe(2);
    expect(feed.filter((a) => a.kind === 'download')).toEqual([{ kind: 'download', id: asset.data.id, created_at: expect.any(String), filename: 'shot.png', download_count: 2 }]);
    expect(feed.find((a) => a.kind === 'payment' && a.status === 'completed')).toMatchObject({ provider: 'manual', amount_minor: pkg.amount_minor, currency: pkg.currency });
    expect(feed.find((a) => a.kind === 'generation' && a.status === 'completed')).toMatchObject({ type: 'background_removal', credits_used: 1 });
    expect(new Set(feed.map((a) => a.id)).size).toBe(feed.length);
    const keys = feed.map((a) => [Date.parse(a.created_at), a.id] as const);
    const sorted = [...keys].sort((x, y) => y[0] - x[0] || (x[1] < y[1] ? 1 : -1));
    expect(keys).toEqual(sorted);
  });

  it('is 404 for nobody', async () => {
    const nobody = '00000000-0000-4000-8000-000000000000';
    for (const url of [`/admin/users/${nobody}`, `/admin/users/${nobody}/activity`]) {
      const res = await get(admin.access_token, url);
      expect(res.statusCode).toBe(404);
      expect(res.data.code).toBe('not_found');
    }
    expect((await patch(admin.access_token, nobody, { is_active: false })).statusCode).toBe(404);
  });
});

describe('PATCH /admin/users/{id}', () => {
  it('changes the role with one audit row of before and after; the new role applies to the existing token at once', async () => {
    const u = await signUp(t.app);
    expect((await get(u.access_token, '/admin/users')).statusCode).toBe(403);
    const res = await patch(admin.access_token, u.user.id, { role: 'admin' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ id: u.user.id, role: 'admin' });
    expect((await get(u.access_token, '/admin/users')).statusCode).toBe(200);
    expect((await patch(admin.access_token, u.user.id, { role: 'admin' })).statusCode).toBe(200); // unchanged: no row
    expect((await patch(admin.access_token, u.user.id, { role: 'user' })).data.role).toBe('user');
    expect(await audits(u.user.id)).toEqual([
      { action: 'user.role_changed', actor_id: admin.user.id, details: { before: { role: 'user' }, after: { role: 'admin' } } },
      { action: 'user.role_changed', actor_id: admin.user.id, details: { before: { role: 'admin' }, after: { role: 'user' } } },
    ]);
  });

  it('disabling revokes every session and API key at once: the bearer token and the key stop working; enabling does not revive them', async () => {
    const u = await signUp(t.app);
    const second = await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: u.email, password: u.password } });
    const key = await call(t.app, 'POST', '/api/v1/me/api-keys', { token: u.access_token, body: { name: 'ci' } });
    expect(key.statusCode, key.body).toBe(201);
    expect((await get(key.data.key, '/me')).statusCode).toBe(200);

    const res = await patch(admin.access_token, u.user.id, { is_active: false });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.is_active).toBe(false);
    for (const token of [u.access_token, second.data.access_token, key.data.key]) {
      const me = await get(token, '/me');
      expect([401, 403]).toContain(me.statusCode);
    }
    expect(await countRows(t, `select count(*) as n from sessions where user_id = '${u.user.id}' and revoked_at is null`)).toBe(0);
    expect(await countRows(t, `select count(*) as n from api_keys where user_id = '${u.user.id}' and revoked_at is null`)).toBe(0);
    const login = await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: u.email, password: u.password } });
    expect(login.statusCode).toBe(403);
    expect(login.data.code).toBe('account_disabled');

    expect((await patch(admin.access_token, u.user.id, { is_active: true })).data.is_active).toBe(true);
    expect((await get(u.access_token, '/me')).statusCode).toBe(401);
    expect((await get(key.data.key, '/me')).statusCode).toBe(401);
    expect((await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: u.email, password: u.password } })).statusCode).toBe(200);
    expect(await audits(u.user.id)).toEqual([
      { action: 'user.disabled', actor_id: admin.user.id, details: { before: { is_active: true }, after: { is_active: false }, sessions_revoked: 2, api_keys_revoked: 1 } },
      { action: 'user.enabled', actor_id: admin.user.id, details: { before: { is_active: false }, after: { is_active: true } } },
    ]);
  });

  it('the auth hook itself refuses a disabled account, even with a session still live (403 account_disabled)', async () => {
    const u = await signUp(t.app);
    const key = await call(t.app, 'POST', '/api/v1/me/api-keys', { token: u.access_token, body: { name: 'ci' } });
    await sqlAuthChange(t, `update users set is_active = false where id = '${u.user.id}'`);
    for (const token of [u.access_token, key.data.key]) {
      const me = await get(token, '/me');
      expect(me.statusCode).toBe(403);
      expect(me.data.code).toBe('account_disabled');
    }
    await sqlAuthChange(t, `update users set is_active = true where id = '${u.user.id}'`);
    expect((await get(u.access_token, '/me')).statusCode).toBe(200);
  });

  it('role, is_active and vendor_verified in one request: one transaction, one audit row per change; a refusal writes nothing', async () => {
    const u = await signUp(t.app);
    const key = await call(t.app, 'POST', '/api/v1/me/api-keys', { token: u.access_token, body: { name: 'ci' } });
    // Verifying a non-vendor fails after the role and active changes were made in the same transaction: all rolled back.
    const refused = await patch(admin.access_token, u.user.id, { role: 'admin', is_active: false, vendor_verified: true });
    expect(refused.statusCode).toBe(409);
    expect((await sqlRows(t, `select role, is_active from users where id = '${u.user.id}'`))[0]).toEqual({ role: 'user', is_active: true });
    expect((await get(key.data.key, '/me')).statusCode).toBe(200);
    expect(await audits(u.user.id)).toEqual([]);

    const v = await signUp(t.app, { account_type: 'vendor', business_name: `Shop ${Date.now().toString(36)}` });
    const both = await patch(admin.access_token, v.user.id, { vendor_verified: true, is_active: false });
    expect(both.statusCode, both.body).toBe(200);
    expect(both.data).toMatchObject({ is_active: false, vendor_profile: { is_verified: true } });
    // Rows of one transaction share its time: their order is not part of the contract.
    expect((await audits(v.user.id)).map((a) => a.action).sort()).toEqual(['user.disabled', 'vendor.verified']);
  });

  it('refuses an empty body, unknown fields and bad values with 400', async () => {
    const u = await signUp(t.app);
    for (const body of [{}, { role: 'root' }, { is_active: 'no' }, { email: 'x@example.com' }]) {
      const res = await patch(admin.access_token, u.user.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.data.code).toBe('validation_failed');
    }
    expect(await audits(u.user.id)).toEqual([]);
  });
});

describe('the last active admin', () => {
  /** From here on, exactly the given users are active admins. */
  async function onlyAdmins(...ids: string[]) {
    await sqlAuthChange(t, `update users set role = case when id in (${ids.map((id) => `'${id}'`).join(',')}) then 'admin' else (case when role = 'admin' then 'user' else role end) end`);
    await sqlAuthChange(t, `update users set is_active = true where id in (${ids.map((id) => `'${id}'`).join(',')})`);
    expect(await activeAdmins()).toBe(ids.length);
  }

  it('cannot demote or disable themselves (409, nothing written); another admin makes it possible', async () => {
    await onlyAdmins(admin.user.id);
    for (const body of [{ role: 'user' }, { role: 'vendor' }, { is_active: false }, { role: 'admin', is_active: false }]) {
      const res = await patch(admin.access_token, admin.user.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(409);
      expect(res.data.code).toBe('conflict');
    }
    expect(await activeAdmins()).toBe(1);
    expect(await audits(admin.user.id)).toEqual([]);
    expect(await countRows(t, `select count(*) as n from sessions where user_id = '${admin.user.id}' and revoked_at is null`)).toBeGreaterThan(0);

    // A disabled admin does not count: promoting one leaves the last active admin protected.
    const dormant = await signUp(t.app);
    await sqlAuthChange(t, `update users set role = 'admin', is_active = false where id = '${dormant.user.id}'`);
    expect((await patch(admin.access_token, admin.user.id, { role: 'user' })).statusCode).toBe(409);
    expect((await patch(admin.access_token, dormant.user.id, { is_active: true })).statusCode).toBe(200);
    const demoted = await patch(admin.access_token, admin.user.id, { role: 'user' });
    expect(demoted.statusCode, demoted.body).toBe(200);
    expect(await activeAdmins()).toBe(1);
    expect((await patch(dormant.access_token, admin.user.id, { role: 'admin' })).statusCode).toBe(200);
  });

  it('two admins demoting themselves at once leave exactly one admin (one 200, one 409)', async () => {
    for (let round = 0; round < 3; round++) {
      const other = await signUp(t.app);
      await onlyAdmins(admin.user.id, other.user.id);
      const results = await Promise.all([
        patch(admin.access_token, admin.user.id, { role: 'user' }),
        patch(other.access_token, other.user.id, { is_active: false }),
      ]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      expect(await activeAdmins()).toBe(1);
      await onlyAdmins(admin.user.id);
    }
  });

  it('two admins demoting each other at once leave exactly one admin', async () => {
    for (let round = 0; round < 3; round++) {
      const other = await signUp(t.app);
      await onlyAdmins(admin.user.id, other.user.id);
      const results = await Promise.all([
        patch(admin.access_token, other.user.id, { role: 'user' }),
        patch(other.access_token, admin.user.id, { role: 'vendor' }),
      ]);
      const codes = results.map((r) => r.statusCode).sort();
      // The loser is refused by the rule (409) or, when the winner committed before its request was
      // authenticated, by the auth hook (403): never both demoted.
      expect(codes[0]).toBe(200);
      expect([403, 409]).toContain(codes[1]);
      expect(await activeAdmins()).toBe(1);
      await onlyAdmins(admin.user.id);
    }
  });
});
