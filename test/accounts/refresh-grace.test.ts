/**
 * The refresh grace (decision 052): for 30 seconds after a rotation the token it replaced answers
 * with the current pair, so two tabs refreshing with one cookie, or a client whose refresh response
 * was lost, stay signed in; reuse after the grace, or of an older token, still revokes the session.
 * Real: buildApp() on the test database, real sign-ups and sessions, refreshes sent in parallel.
 * Stand-ins: the manual clock, moved past the grace by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, signUp } from '../helpers/accounts.ts';
import { call, createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const refresh = (refresh_token: string) => call(t.app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token } });
const me = (token: string) => call(t.app, 'GET', '/api/v1/me', { token });
const revokedReason = async (token: string) => {
  const sid = token.split('.')[0];
  return countRows(t, `select count(*) as n from sessions where id = '${sid}' and revoked_at is not null and revoked_reason = 'refresh_token_reuse'`);
};

describe('refresh grace', () => {
  it('two tabs refreshing with the same token at once both get the current pair, and the session lives on', async () => {
    const a = await signUp(t.app, {}, { verified: false });
    const [r1, r2] = await Promise.all([refresh(a.refresh_token), refresh(a.refresh_token)]);
    expect(r1.statusCode, r1.body).toBe(200);
    expect(r2.statusCode, r2.body).toBe(200);
    // One rotation happened: both hold the same new refresh token.
    expect(r1.data.refresh_token).toBe(r2.data.refresh_token);
    expect(r1.data.refresh_token).not.toBe(a.refresh_token);
    for (const r of [r1, r2]) expect((await me(r.data.access_token)).statusCode).toBe(200);
    expect(await revokedReason(a.refresh_token)).toBe(0);
    // Past the grace the shared token still rotates normally.
    t.clock.advance(60_000);
    const next = await refresh(r1.data.refresh_token);
    expect(next.statusCode, next.body).toBe(200);
  });

  it('a client whose refresh response was lost gets the same pair again within the grace', async () => {
    const a = await signUp(t.app, {}, { verified: false });
    const lost = await refresh(a.refresh_token);
    expect(lost.statusCode).toBe(200);
    t.clock.advance(29_000);
    const retry = await refresh(a.refresh_token);
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.data.refresh_token).toBe(lost.data.refresh_token);
    expect((await me(retry.data.access_token)).statusCode).toBe(200);
    const onward = await refresh(retry.data.refresh_token);
    expect(onward.statusCode).toBe(200);
  });

  it('revokes the session when the replaced token comes back after the grace', async () => {
    const a = await signUp(t.app, {}, { verified: false });
    const r1 = await refresh(a.refresh_token);
    t.clock.advance(31_000);
    expect((await refresh(a.refresh_token)).statusCode).toBe(401);
    expect(await revokedReason(a.refresh_token)).toBe(1);
    expect((await refresh(r1.data.refresh_token)).statusCode).toBe(401);
    expect((await me(r1.data.access_token)).statusCode).toBe(401);
  });

  it('revokes the session for a token two rotations old, even within the grace', async () => {
    const a = await signUp(t.app, {}, { verified: false });
    const r1 = await refresh(a.refresh_token);
    const r2 = await refresh(r1.data.refresh_token);
    expect(r2.statusCode).toBe(200);
    expect((await refresh(a.refresh_token)).statusCode).toBe(401);
    expect(await revokedReason(a.refresh_token)).toBe(1);
    expect((await refresh(r2.data.refresh_token)).statusCode).toBe(401);
  });

  it('revokes for a made-up token with the previous counter: only the real previous token is forgiven', async () => {
    const a = await signUp(t.app, {}, { verified: false });
    const r1 = await refresh(a.refresh_token);
    const sid = a.refresh_token.split('.')[0];
    expect((await refresh(`${sid}.0.forged-random-part`)).statusCode).toBe(401);
    expect((await refresh(r1.data.refresh_token)).statusCode).toBe(401);
  });
});
