/**
 * `GET /generation-types` in the user's language (decision 104): English by default, Persian for a
 * Persian `Accept-Language` or a user whose `locale` preference is Persian (the preference wins over
 * the header), only among the installation's locales; `Content-Language` and `Vary: Accept-Language`
 * say so. Every Persian name, description, parameter label, hint and provider note is written in
 * Persian (a missing translation shows up here as English).
 * Real: app, database, the type registry and the configured providers (the local one's notes).
 * Stand-ins: none; an installation offering English only is a second app with ATELIER_LOCALES=en.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { negotiateLanguage } from '../../src/platform/http/language.ts';
import { signUp } from '../helpers/accounts.ts';
import { call, createTestApp, type TestApp } from '../helpers/app.ts';

interface TypeInfo {
  type: string;
  name: string;
  description: string;
  params_schema: { properties?: Record<string, { title?: string; description?: string }> };
  provider_details: Array<{ id: string; delivers: string }>;
}

const PERSIAN = /[\u0600-\u06FF]/;
let t: TestApp;
let englishOnly: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { ATELIER_LOCALES: 'en,fa' } });
  englishOnly = await createTestApp({ env: { ATELIER_LOCALES: 'en' } });
});
afterAll(async () => {
  await t?.close();
  await englishOnly?.close();
});

const types = (app: TestApp, headers: Record<string, string> = {}, token?: string) =>
  call(app.app, 'GET', '/api/v1/generation-types', { headers, ...(token ? { token } : {}) });

describe('GET /generation-types in the user’s language', () => {
  it('answers English by default, with Content-Language and Vary', async () => {
    const res = await types(t);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-language']).toBe('en');
    expect(String(res.headers.vary)).toMatch(/Accept-Language/i);
    const upscale = (res.data as TypeInfo[]).find((x) => x.type === 'upscale')!;
    expect(upscale).toMatchObject({ name: 'Upscale', description: 'Enlarge an image 2× or 4× for print' });
    expect(upscale.params_schema.properties?.factor?.title).toBe('Factor');
  });

  it('answers Persian to a Persian Accept-Language, every word of it', async () => {
    const res = await types(t, { 'accept-language': 'fa-IR,fa;q=0.9,en;q=0.5' });
    expect(res.headers['content-language']).toBe('fa');
    const list = res.data as TypeInfo[];
    expect(list.find((x) => x.type === 'upscale')).toMatchObject({ name: 'بزرگ‌نمایی', description: 'بزرگ کردن تصویر ۲ یا ۴ برابر برای چاپ' });
    expect(list.find((x) => x.type === 'vectorize')!.params_schema.properties?.threshold).toMatchObject({ title: 'آستانه', description: 'فقط در حالت mono؛ اگر خالی بماند خودکار است' });
    for (const x of list) {
      expect(x.name, x.type).toMatch(PERSIAN);
      expect(x.description, x.type).toMatch(PERSIAN);
      for (const [name, prop] of Object.entries(x.params_schema.properties ?? {})) {
        expect(prop.title, `${x.type}.${name}`).toMatch(PERSIAN);
        if (prop.description !== undefined) expect(prop.description, `${x.type}.${name}`).toMatch(PERSIAN);
      }
      for (const d of x.provider_details) expect(d.delivers, `${x.type} on ${d.id}`).toMatch(PERSIAN);
    }
  });

  it('follows a signed-in user’s locale preference before the header', async () => {
    const u = await signUp(t.app);
    expect((await call(t.app, 'PATCH', '/api/v1/me/preferences', { token: u.access_token, body: { locale: 'fa-IR' } })).statusCode).toBe(200);
    const persian = await types(t, { 'accept-language': 'en' }, u.access_token);
    expect(persian.headers['content-language']).toBe('fa');
    expect((persian.data as TypeInfo[]).find((x) => x.type === 'upscale')!.name).toBe('بزرگ‌نمایی');
    await call(t.app, 'PATCH', '/api/v1/me/preferences', { token: u.access_token, body: { locale: 'en' } });
    expect((await types(t, { 'accept-language': 'fa' }, u.access_token)).headers['content-language']).toBe('en');
    // No preference: the header decides.
    await call(t.app, 'PATCH', '/api/v1/me/preferences', { token: u.access_token, body: { locale: null } });
    expect((await types(t, { 'accept-language': 'fa' }, u.access_token)).headers['content-language']).toBe('fa');
  });

  it('speaks only the installation’s languages', async () => {
    const res = await types(englishOnly, { 'accept-language': 'fa' });
    expect(res.headers['content-language']).toBe('en');
    expect((res.data as TypeInfo[]).find((x) => x.type === 'upscale')!.name).toBe('Upscale');
  });
});

describe('negotiateLanguage', () => {
  it('weighs q-values, keeps the written order on ties, and skips what is not offered', () => {
    expect(negotiateLanguage('de, fa;q=0.8, en;q=0.9', ['en', 'fa'])).toBe('en');
    expect(negotiateLanguage('fa-IR, en', ['en', 'fa'])).toBe('fa');
    expect(negotiateLanguage('de, fr;q=0.5', ['en', 'fa'])).toBeUndefined();
    expect(negotiateLanguage('fa;q=0, *;q=0.1', ['en', 'fa'])).toBe('en');
    expect(negotiateLanguage('fa;q=abc, en', ['en', 'fa'])).toBe('en');
    expect(negotiateLanguage(undefined, ['en', 'fa'])).toBeUndefined();
  });
});
