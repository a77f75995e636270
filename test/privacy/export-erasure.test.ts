/**
 * POST /me/export, GET /me/exports/{id} and DELETE /me.
 * Real: app, database (PGlite, or PostgreSQL with TEST_DATABASE_URL), argon2, the ledger, sharp
 * uploads, local-disk storage, yazl zips (read back by test/helpers/unzip.ts), the queue (jobs are
 * checked in pgboss.job, then their handlers run here rather than by a polling worker).
 * Stand-ins: images generated with sharp; the clock is moved by hand.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivacyModule, type PrivacyModule } from '../../src/modules/privacy/index.ts';
import { exported, notExported } from '../../src/modules/privacy/user-data.ts';
import { userForeignKeys } from '../../src/modules/privacy/privacy.queries.ts';
import { checkCreditInvariants } from '../../src/modules/billing/index.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { countRows, signUp } from '../helpers/accounts.ts';
import { call, codesSent, createTestApp, sqlAuthChange, sqlRows, type TestApp } from '../helpers/app.ts';
import { makeImage, upload } from '../helpers/media.ts';
import { readZip } from '../helpers/unzip.ts';

let t: TestApp;
let privacy: PrivacyModule;
const log = createLogger('silent');
const job = { retryCount: 0, log };

beforeAll(async () => {
  t = await createTestApp();
  privacy = createPrivacyModule({ db: t.database.db, storage: t.storage, clock: t.clock, queue: t.queue, secret: t.secret, config: t.config, log, mailer: t.modules.notifications.emails, forgetPrincipals: t.modules.accounts.ctx.principals.forgetUser, providerSubscriptions: t.modules.billing.providerSubscriptions });
});
afterAll(async () => t?.close());

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const queued = (name: string, key: string, value: string) =>
  countRows(t, `select count(*) as n from pgboss.job where name = '${name}' and data->>'${key}' = '${value}'`);

async function download(url: string) {
  const res = await t.app.inject({ method: 'GET', url: url.replace(/^https?:\/\/[^/]+/, '') });
  return res;
}

describe('the list of where user data lives', () => {
  it('names every column that points at a user, so none is forgotten by the export or the erasure', async () => {
    const named = new Set([...exported.map((s) => `${s.table}.${s.column}`), ...notExported.map((s) => `${s.table}.${s.column}`)]);
    const fks = await userForeignKeys(t.database.db);
    expect(fks.length).toBeGreaterThan(10);
    const missing = fks.map((f) => `${f.table}.${f.column}`).filter((c) => !named.has(c));
    expect(missing, 'add these to src/modules/privacy/user-data.ts').toEqual([]);
  });
});

describe('POST /me/export', () => {
  it('makes a zip of the rows and files of the account, once at a time, behind an expiring link', async () => {
    const a = await signUp(t.app, { full_name: 'Ada Export' });
    const other = await signUp(t.app);
    const image = await makeImage(40, 30, 'png');
    const asset = (await upload(t.app, a.access_token, { filename: 'cat.png', data: image })).data;
    await upload(t.app, other.access_token, { filename: 'not-mine.png', data: await makeImage(10, 10, 'png') });

    const first = await call(t.app, 'POST', '/api/v1/me/export', { token: a.access_token });
    expect(first.statusCode, first.body).toBe(202);
    expect(first.data).toMatchObject({ status: 'pending', download_url: null });
    const again = await call(t.app, 'POST', '/api/v1/me/export', { token: a.access_token });
    expect(again.data.id).toBe(first.data.id);
    expect(await queued('privacy.export', 'export_id', first.data.id)).toBe(1);
    expect((await call(t.app, 'GET', `/api/v1/me/exports/${first.data.id}`, { token: other.access_token })).statusCode).toBe(404);

    await privacy.exports.run(first.data.id, job);
    const done = await call(t.app, 'GET', `/api/v1/me/exports/${first.data.id}`, { token: a.access_token });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.data).toMatchObject({ status: 'completed', error: null });
    expect(done.data.download_url).toMatch(new RegExp(`/api/v1/me/exports/${first.data.id}/download\\?expires=\\d+&sig=`));

    const res = await download(done.data.download_url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const zip = readZip(res.rawPayload);
    expect(Number(res.headers['content-length'])).toBe(done.data.size_bytes);
    const user = JSON.parse(zip.get('account/user.json')!.toString())[0];
    expect(user).toMatchObject({ id: a.user.id, email: a.email, full_name: 'Ada Export' });
    expect(user).not.toHaveProperty('password_hash');
    const sessions = JSON.parse(zip.get('account/sessions.json')!.toString());
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions[0]).not.toHaveProperty('refresh_token_hash');
    const ledger = JSON.parse(zip.get('credits/transactions.json')!.toString());
    expect(ledger.map((r: { type: string }) => r.type)).toContain('signup_bonus');
    const assets = JSON.parse(zip.get('media/assets.json')!.toString());
    expect(assets.map((r: { id: string }) => r.id)).toEqual([asset.id]);
    expect(assets[0]).not.toHaveProperty('storage_key');
    const files = [...zip.keys()].filter((k) => k.startsWith('files/'));
    expect(files).toEqual([`files/${asset.id}-cat.png`]);
    expect(sha(zip.get(files[0]!)!)).toBe(asset.sha256 ?? sha(zip.get(files[0]!)!));
    expect(zip.has('README.txt')).toBe(true);

    // A second request after completion starts a new export.
    const next = await call(t.app, 'POST', '/api/v1/me/export', { token: a.access_token });
    expect(next.data.id).not.toBe(first.data.id);
  });

  it('refuses forged and expired links, and removes the zip when the export expires', async () => {
    const a = await signUp(t.app);
    const started = await call(t.app, 'POST', '/api/v1/me/export', { token: a.access_token });
    await privacy.exports.run(started.data.id, job);
    const url: string = (await call(t.app, 'GET', `/api/v1/me/exports/${started.data.id}`, { token: a.access_token })).data.download_url;
    const forged = url.replace(/sig=[^&]+/, 'sig=AAAA');
    expect((await download(forged)).statusCode).toBe(404);
    const [row] = await sqlRows<{ storage_key: string }>(t, `select storage_key from account_exports where id = '${started.data.id}'`);
    expect(await t.storage.exists(row!.storage_key)).toBe(true);

    t.clock.advance(2 * 3600_000);
    expect((await download(url)).statusCode).toBe(404); // the link has expired
    t.clock.advance(8 * 86_400_000);
    expect(await privacy.exports.sweepExpired()).toBeGreaterThanOrEqual(1);
    expect(await t.storage.exists(row!.storage_key)).toBe(false);
    expect(await countRows(t, `select count(*) as n from account_exports where id = '${started.data.id}'`)).toBe(0);
  });
});

describe('DELETE /me', () => {
  it('refuses a wrong password and changes nothing', async () => {
    const a = await signUp(t.app);
    const res = await call(t.app, 'DELETE', '/api/v1/me', { token: a.access_token, body: { password: 'wrong-password' } });
    expect(res.statusCode).toBe(401);
    expect(res.data.code).toBe('invalid_credentials');
    expect((await call(t.app, 'GET', '/api/v1/me', { token: a.access_token })).statusCode).toBe(200);
    const missing = await call(t.app, 'DELETE', '/api/v1/me', { token: a.access_token, body: {} });
    expect(missing.statusCode).toBe(400);
    expect(missing.data.code).toBe('validation_failed');
  });

  it('erases personal data and files, keeps the books anonymised, and frees the email', async () => {
    const a = await signUp(t.app, { full_name: 'Bea Gone' });
    const keep = await signUp(t.app);
    const mine = (await upload(t.app, a.access_token, { filename: 'me.png', data: await makeImage(20, 20, 'png') })).data;
    const theirs = (await upload(t.app, keep.access_token, { filename: 'them.png', data: await makeImage(20, 20, 'png') })).data;
    const exp = await call(t.app, 'POST', '/api/v1/me/export', { token: a.access_token });
    await privacy.exports.run(exp.data.id, job);
    await call(t.app, 'POST', '/api/v1/auth/otp/request', { body: { email: a.email, purpose: 'email_verify' } });
    await codesSent(t.app);
    const keys = await sqlRows<{ storage_key: string; thumbnail_key: string }>(t, `select storage_key, thumbnail_key from assets where id in ('${mine.id}', '${theirs.id}') order by owner_id = '${a.user.id}' desc`);

    const logged = await countRows(t, `select count(*) as n from email_logs where "to" = '${a.email}'`);
    expect(logged).toBeGreaterThan(0); // the code above was mailed, and logged

    const res = await call(t.app, 'DELETE', '/api/v1/me', { token: a.access_token, body: { password: a.password } });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.data).toEqual({ status: 'erasing' });

    // Signed out everywhere at once; the account is gone.
    expect((await call(t.app, 'GET', '/api/v1/me', { token: a.access_token })).statusCode).toBe(401);
    expect((await call(t.app, 'POST', '/api/v1/auth/login', { body: { email: a.email, password: a.password } })).statusCode).toBe(401);
    expect(await countRows(t, `select count(*) as n from users where id = '${a.user.id}'`)).toBe(0);
    expect(await countRows(t, `select count(*) as n from assets where owner_id = '${a.user.id}'`)).toBe(0);
    expect(await countRows(t, `select count(*) as n from outbox_messages where "to" = '${a.email}'`)).toBe(0);
    expect(await countRows(t, `select count(*) as n from otps where destination = '${a.email}'`)).toBe(0);
    // Email logs keep their count for delivery statistics, never the address.
    expect(await countRows(t, `select count(*) as n from email_logs where "to" = '${a.email}'`)).toBe(0);
    expect(await countRows(t, `select count(*) as n from email_logs where "to" like 'erased:%'`)).toBeGreaterThanOrEqual(logged);
    // The books stay, without the person.
    const ledger = await sqlRows<{ user_id: string | null }>(t, `select user_id from credit_transactions where reference_id = '${a.user.id}' or (user_id is null and type = 'signup_bonus')`);
    expect(ledger.length).toBeGreaterThan(0);
    expect(ledger.every((r) => r.user_id === null)).toBe(true);
    const audit = await sqlRows<{ ip: string | null; user_agent: string | null; action: string }>(t, `select ip, user_agent, action from audit_logs where target_id = '${a.user.id}'`);
    expect(audit.map((r) => r.action)).toContain('account.erased');
    expect(audit.every((r) => r.ip === null && r.user_agent === null)).toBe(true);
    expect(await checkCreditInvariants(t.database.db)).toEqual([]);

    // Files go by a retried job sent in the same transaction.
    expect(await queued('privacy.erase-files', 'user_id', a.user.id)).toBe(1);
    expect(await t.storage.exists(keys[0]!.storage_key)).toBe(true);
    expect(await privacy.erasure.eraseFiles(a.user.id)).toBeGreaterThanOrEqual(3); // original, thumbnail, export zip
    expect(await t.storage.exists(keys[0]!.storage_key)).toBe(false);
    expect(await t.storage.exists(keys[0]!.thumbnail_key)).toBe(false);
    expect(await t.storage.exists(keys[1]!.storage_key)).toBe(true);
    expect(await privacy.erasure.eraseFiles(a.user.id)).toBe(0);

    // The same email can sign up again as a new person.
    const again = await signUp(t.app, { email: a.email });
    expect(again.user.id).not.toBe(a.user.id);
  });

  it('an export being made when the account is erased leaves no file behind', async () => {
    const a = await signUp(t.app);
    const exp = await call(t.app, 'POST', '/api/v1/me/export', { token: a.access_token });
    await call(t.app, 'DELETE', '/api/v1/me', { token: a.access_token, body: { password: a.password } });
    await privacy.exports.run(exp.data.id, job);
    expect(await privacy.erasure.eraseFiles(a.user.id)).toBe(0);
  });

  it('the last active admin cannot erase their account', async () => {
    const admins = await sqlRows<{ id: string }>(t, `select id from users where role = 'admin' and is_active`);
    const a = await signUp(t.app);
    await sqlAuthChange(t, `update users set is_active = false where id in (${admins.map((r) => `'${r.id}'`).join(',') || 'null'})`);
    await sqlAuthChange(t, `update users set role = 'admin' where id = '${a.user.id}'`);
    try {
      const res = await call(t.app, 'DELETE', '/api/v1/me', { token: a.access_token, body: { password: a.password } });
      expect(res.statusCode).toBe(409);
      expect(await countRows(t, `select count(*) as n from users where id = '${a.user.id}'`)).toBe(1);
    } finally {
      if (admins.length) await sqlAuthChange(t, `update users set is_active = true where id in (${admins.map((r) => `'${r.id}'`).join(',')})`);
      await sqlAuthChange(t, `update users set role = 'user' where id = '${a.user.id}'`);
    }
  });
});
