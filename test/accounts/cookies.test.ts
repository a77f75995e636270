/**
 * The web app's cookie sessions and their CSRF protection, as a browser would use them.
 * Real: app, database, cookies as set by the server. Stand-in: inject() carries the cookies by hand.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { uniqueEmail } from '../helpers/accounts.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

function jar(res: LightMyRequestResponse): Record<string, string> {
  return Object.fromEntries(res.cookies.filter((c) => c.value !== '').map((c) => [c.name, c.value]));
}
const cookieHeader = (c: Record<string, string>) => Object.entries(c).map(([k, v]) => `${k}=${v}`).join('; ');

async function cookieSignUp() {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    headers: { 'x-atelier-auth': 'cookie' },
    payload: { email: uniqueEmail('web'), password: 'password123' },
  });
  expect(res.statusCode).toBe(201);
  return res;
}

describe('cookie mode', () => {
  it('sets httpOnly token cookies and a readable CSRF cookie, and keeps tokens out of the body', async () => {
    const res = await cookieSignUp();
    const body = res.json();
    expect(body).not.toHaveProperty('access_token');
    expect(body).not.toHaveProperty('refresh_token');
    const byName = Object.fromEntries(res.cookies.map((c) => [c.name, c]));
    expect(byName.atelier_access).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(byName.atelier_refresh).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' });
    expect(byName.atelier_csrf?.httpOnly).toBeFalsy();
  });

  it('reads with the cookie alone, but needs the CSRF header to change anything', async () => {
    const cookies = jar(await cookieSignUp());
    const read = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookieHeader(cookies) } });
    expect(read.statusCode).toBe(200);

    const noCsrf = await t.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: { cookie: cookieHeader(cookies) }, payload: { full_name: 'X' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('csrf_failed');
    const badCsrf = await t.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: { cookie: cookieHeader(cookies), 'x-csrf-token': 'guess' }, payload: { full_name: 'X' } });
    expect(badCsrf.statusCode).toBe(403);

    const ok = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { cookie: cookieHeader(cookies), 'x-csrf-token': cookies.atelier_csrf! },
      payload: { full_name: 'Web User' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().full_name).toBe('Web User');
  });

  it('refreshes from the refresh cookie (with CSRF) and logs out by clearing the cookies', async () => {
    const cookies = jar(await cookieSignUp());
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', headers: { cookie: cookieHeader(cookies), 'x-atelier-auth': 'cookie' }, payload: {} });
    expect(noCsrf.statusCode).toBe(403);
    const refreshed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      headers: { cookie: cookieHeader(cookies), 'x-atelier-auth': 'cookie', 'x-csrf-token': cookies.atelier_csrf! },
      payload: {},
    });
    expect(refreshed.statusCode).toBe(200);
    const next = { ...cookies, ...jar(refreshed) };
    expect(next.atelier_refresh).not.toBe(cookies.atelier_refresh);

    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: cookieHeader(next), 'x-atelier-auth': 'cookie', 'x-csrf-token': next.atelier_csrf! },
      payload: {},
    });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'atelier_access')?.value).toBe('');
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookieHeader(next) } });
    expect(after.statusCode).toBe(401);
  });

  it('ignores cookies when a bearer token is sent (no CSRF needed for API clients)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email: uniqueEmail('api'), password: 'password123' } });
    const { access_token } = res.json();
    const ok = await t.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: { authorization: `Bearer ${access_token}` }, payload: { bio: 'hi' } });
    expect(ok.statusCode).toBe(200);
  });
});
