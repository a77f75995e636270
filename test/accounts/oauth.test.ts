/**
 * OAuth sign-in with Google (OpenID Connect) and GitHub end to end: start → provider → callback →
 * signed in with cookie sessions; sign-up, linking by verified email only, refusals, unlinking.
 * Real: app, database, oauth4webapi speaking HTTP to the provider, PKCE, state, nonce, RS256 ID
 * token signature. Stand-in: the provider (test/helpers/oauth-stand-in.ts, a local server speaking
 * the protocols); the browser's redirects and cookies are followed by hand.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, sqlAuthChange, sqlRows, type TestApp } from '../helpers/app.ts';
import { signUp, uniqueEmail } from '../helpers/accounts.ts';
import { startOAuthStandIn, type OAuthStandIn, type StandInUser } from '../helpers/oauth-stand-in.ts';

let t: TestApp;
let idp: OAuthStandIn;
let base: string;
let subjects = 1000;

beforeAll(async () => {
  idp = await startOAuthStandIn();
  t = await createTestApp({ env: { ...idp.env(), ATELIER_PUBLIC_URL: 'http://app.example' } });
  base = 'http://app.example';
}, 60_000);
afterAll(async () => {
  await t?.close();
  await idp?.close();
});

const newUser = (over: Partial<StandInUser> = {}): StandInUser => ({ sub: String(++subjects), email: uniqueEmail('oauth'), emailVerified: true, name: 'Ada', ...over });
const cookieOf = (res: LightMyRequestResponse, name: string) => res.cookies.find((c) => c.name === name && c.value !== '')?.value;

/** Starts at the app, lets the stand-in authorize, and returns the callback URL and the state cookie. */
async function begin(provider: 'google' | 'github', user: StandInUser, returnUrl?: string) {
  const q = returnUrl ? `?return_url=${encodeURIComponent(returnUrl)}` : '';
  const start = await t.app.inject({ method: 'GET', url: `/api/v1/auth/oauth/${provider}/start${q}` });
  expect(start.statusCode, start.body).toBe(302);
  const location = new URL(start.headers.location as string);
  expect(location.origin).toBe(idp.url);
  expect(location.searchParams.get('code_challenge_method')).toBe('S256');
  expect(start.cookies.find((c) => c.name === 'atelier_oauth')).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/v1/auth/oauth' });
  // The verifier stays on the server; only its S256 challenge travels.
  expect(location.searchParams.has('code_verifier')).toBe(false);
  idp.nextUser = user;
  const authorized = await fetch(location, { redirect: 'manual' });
  expect(authorized.status).toBe(302);
  const callback = new URL(authorized.headers.get('location')!);
  expect(callback.origin).toBe(base);
  return { callback, state: cookieOf(start, 'atelier_oauth')! };
}

async function finish(callback: URL, state: string | undefined) {
  return t.app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}`, cookies: state ? { atelier_oauth: state } : {} });
}

async function signInWith(provider: 'google' | 'github', user: StandInUser, returnUrl?: string) {
  const { callback, state } = await begin(provider, user, returnUrl);
  return finish(callback, state);
}

async function me(res: LightMyRequestResponse) {
  const access = cookieOf(res, 'atelier_access');
  expect(access, `no session cookie; location ${String(res.headers.location)}`).toBeDefined();
  return call(t.app, 'GET', '/api/v1/me', { token: access });
}

const errorOf = (res: LightMyRequestResponse) => {
  expect(res.statusCode).toBe(302);
  const location = new URL(res.headers.location as string);
  expect(location.origin + location.pathname).toBe(`${base}/signin`);
  expect(cookieOf(res, 'atelier_access')).toBeUndefined();
  return location.searchParams.get('oauth_error');
};

describe('OAuth sign-in', () => {
  it('GET /config lists the configured providers', async () => {
    const res = await call(t.app, 'GET', '/api/v1/config');
    expect(res.data.sign_up.oauth).toEqual(['google', 'github']);
  });

  it('signs up with Google: a new account, email verified on the provider\'s word, back to the return path with cookies', async () => {
    const user = newUser();
    const res = await signInWith('google', user, `${base}/gallery?x=1`);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${base}/gallery?x=1`);
    expect(res.cookies.find((c) => c.name === 'atelier_refresh')).toMatchObject({ httpOnly: true, path: '/api/v1/auth' });
    const m = await me(res);
    expect(m.data).toMatchObject({ email: user.email, email_verified: true, full_name: 'Ada' });
    // Nonce and PKCE went through: the token request carried the verifier.
    expect(idp.tokenRequests.at(-1)?.code_verifier).toMatch(/^[\w-]{43,}$/);

    const again = await signInWith('google', user);
    expect(again.headers.location).toBe(`${base}/dashboard`);
    expect((await me(again)).data.id).toBe(m.data.id);
    const ids = await call(t.app, 'GET', '/api/v1/me/identities', { token: cookieOf(again, 'atelier_access') });
    expect(ids.data.data).toEqual([expect.objectContaining({ provider: 'google', email: user.email, email_verified: true })]);
  });

  it('signs up with GitHub and keeps an unverified email unverified', async () => {
    const user = newUser({ emailVerified: false });
    const res = await signInWith('github', user);
    const m = await me(res);
    expect(m.data).toMatchObject({ email: user.email, email_verified: false });
  });

  it('links to the existing verified account with the same email', async () => {
    const local = await signUp(t.app);
    const res = await signInWith('github', newUser({ email: local.email! }));
    expect((await me(res)).data.id).toBe(local.user.id);
    const rows = await sqlRows<{ n: string }>(t, `select count(*) as n from auth_identities where user_id = '${local.user.id}' and provider = 'github'`);
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('never links by an email the provider did not verify, nor to an account that has not verified it', async () => {
    const local = await signUp(t.app);
    expect(errorOf(await signInWith('google', newUser({ email: local.email!, emailVerified: false })))).toBe('oauth_email_unverified');
    const unverified = await signUp(t.app, {}, { verified: false });
    expect(errorOf(await signInWith('google', newUser({ email: unverified.email! })))).toBe('oauth_account_unverified');
    const rows = await sqlRows<{ n: string }>(t, `select count(*) as n from auth_identities where user_id in ('${local.user.id}', '${unverified.user.id}')`);
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('refuses a callback without the state cookie, with another state, or replayed', async () => {
    const a = await begin('google', newUser());
    expect(errorOf(await finish(a.callback, undefined))).toBe('oauth_state');
    // The state was used up by that attempt, so even the right cookie now fails.
    expect(errorOf(await finish(a.callback, a.state))).toBe('oauth_state');

    const b = await begin('google', newUser());
    const forged = new URL(b.callback);
    forged.searchParams.set('state', 'not-the-state');
    expect(errorOf(await finish(forged, 'not-the-state'))).toBe('oauth_state');

    const c = await begin('github', newUser());
    const ok = await finish(c.callback, c.state);
    await me(ok);
    expect(errorOf(await finish(c.callback, c.state))).toBe('oauth_state');
  });

  it('refuses a code redeemed with the wrong PKCE verifier', async () => {
    const a = await begin('google', newUser());
    // Another sign-in's saved verifier in place of this one's: the provider's S256 check fails.
    await sqlRows(t, `update oauth_login_states set code_verifier = '${'x'.repeat(43)}'`);
    expect(errorOf(await finish(a.callback, a.state))).toBe('oauth_failed');
    expect(idp.tokenRequests.at(-1)?.code_verifier).toBe('x'.repeat(43));
  });

  it('refuses an ID token with the wrong nonce', async () => {
    const a = await begin('google', newUser());
    idp.forceNonce = 'someone-elses-nonce';
    expect(errorOf(await finish(a.callback, a.state))).toBe('oauth_failed');
  });

  it('refuses a provider error and a disabled account', async () => {
    const a = await begin('google', newUser());
    const denied = new URL(a.callback);
    denied.searchParams.delete('code');
    denied.searchParams.set('error', 'access_denied');
    expect(errorOf(await finish(denied, a.state))).toBe('oauth_denied');

    const user = newUser();
    const first = await me(await signInWith('google', user));
    await sqlAuthChange(t, `update users set is_active = false where id = '${first.data.id}'`);
    expect(errorOf(await signInWith('google', user))).toBe('account_disabled');
  });

  it('starts only for configured providers and returns only to its own origin', async () => {
    const bad = await call(t.app, 'GET', `/api/v1/auth/oauth/google/start?return_url=${encodeURIComponent('https://evil.example/x')}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.data.code).toBe('validation_failed');
    const unknown = await call(t.app, 'GET', '/api/v1/auth/oauth/facebook/start');
    expect(unknown.statusCode).toBe(400);
  });

  it('unlinks a provider unless it is the last way in', async () => {
    // OAuth-only account: no password, no phone → the only link cannot go.
    const user = newUser();
    const token = cookieOf(await signInWith('google', user), 'atelier_access')!;
    const refused = await call(t.app, 'DELETE', '/api/v1/me/identities/google', { token });
    expect(refused.statusCode).toBe(409);
    expect((await call(t.app, 'GET', '/api/v1/me/identities', { token })).data.data).toHaveLength(1);

    // A second provider linked (same verified email) → one of them may go.
    const gh = await signInWith('github', newUser({ email: user.email }));
    expect((await me(gh)).data.email).toBe(user.email);
    expect((await call(t.app, 'DELETE', '/api/v1/me/identities/google', { token })).statusCode).toBe(204);
    expect((await call(t.app, 'DELETE', '/api/v1/me/identities/github', { token })).statusCode).toBe(409);
    expect((await call(t.app, 'DELETE', '/api/v1/me/identities/google', { token })).statusCode).toBe(404);

    // An account with a password may unlink its only provider.
    const local = await signUp(t.app);
    await signInWith('google', newUser({ email: local.email! }));
    expect((await call(t.app, 'DELETE', '/api/v1/me/identities/google', { token: local.access_token })).statusCode).toBe(204);
  });
});
