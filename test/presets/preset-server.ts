/**
 * One product as its operator starts it, for the preset tests: `start`'s own steps (the preset
 * applied by presets/startup.ts, the configured admin created after it, workers and API in one
 * process) on a fresh database, listening on a real port, driven over HTTP with fetch as a client
 * would. Real: everything but what `createTestApp` stands in for (mail and SMS go to the outbox;
 * the database is a fresh copy of the migrated template, as a new data dir would be).
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { checkCreditInvariants } from '../../src/modules/billing/index.ts';
import type { PresetName } from '../../src/presets/presets.ts';
import { settlePreset } from '../../src/presets/startup.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { codesSent, createTestApp, type TestApp } from '../helpers/app.ts';

export interface Reply {
  status: number;
  data: any;
  headers: Headers;
}

export interface PresetServer {
  t: TestApp;
  url: string;
  api(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Reply>;
  upload(token: string, data: Buffer, filename?: string, contentType?: string): Promise<string>;
  /** The newest one-time code sent to an email or phone (the dev outbox, as the README says). */
  code(to: string): Promise<string>;
  admin(): Promise<string>;
  /** Polls a generation until it is final. */
  settled(token: string, id: string, timeoutMs?: number): Promise<any>;
  invariants(): Promise<void>;
  close(): Promise<void>;
}

export async function startPresetServer(preset: PresetName, env: Record<string, string> = {}): Promise<PresetServer> {
  const adminEmail = `admin-${randomUUID().slice(0, 8)}@example.com`;
  const t = await createTestApp({
    realClock: true,
    env: { ATELIER_PRESET: preset, ATELIER_PAYMENTS_MANUAL: 'on', ATELIER_ADMIN_EMAIL: adminEmail, ATELIER_ADMIN_PASSWORD: 'admin-password', ...env },
  });
  const clock = { now: () => new Date() };
  await settlePreset({ config: t.config, database: t.database, clock, log: createLogger('silent') }, { ATELIER_PRESET: preset }, { apply: true });
  await t.modules.accounts.admins.createAdmin({ email: adminEmail, password: 'admin-password' });
  await t.queue.work(t.modules.jobHandlers);
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });

  const api: PresetServer['api'] = async (method, path, opts = {}) => {
    const res = await fetch(`${address}/api/v1${path}`, {
      method,
      headers: {
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...opts.headers,
      },
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const text = await res.text();
    let data: unknown = text;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, data, headers: res.headers };
  };

  const server: PresetServer = {
    t,
    url: address,
    api,
    async upload(token, data, filename = 'photo.jpg', contentType = 'image/jpeg') {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(data)], { type: contentType }), filename);
      const res = await fetch(`${address}/api/v1/assets`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
      const body = (await res.json()) as { id: string };
      expect(res.status, JSON.stringify(body)).toBe(201);
      return body.id;
    },
    async code(to) {
      await codesSent(t.app);
      const res = await api('GET', `/dev/outbox?to=${encodeURIComponent(to)}`);
      expect(res.status).toBe(200);
      const code = res.data.data[0]?.code as string | undefined;
      expect(code, `no code sent to ${to}`).toMatch(/^\d{6}$/);
      return code!;
    },
    async admin() {
      const res = await api('POST', '/auth/login', { body: { email: adminEmail, password: 'admin-password' } });
      expect(res.status, JSON.stringify(res.data)).toBe(200);
      return res.data.access_token as string;
    },
    async settled(token, id, timeoutMs = 120_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const res = await api('GET', `/generations/${id}`, { token });
        expect(res.status).toBe(200);
        if (['completed', 'failed', 'cancelled'].includes(res.data.status)) return res.data;
        if (Date.now() > end) throw new Error(`generation ${id} still ${res.data.status}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async invariants() {
      expect(await checkCreditInvariants(t.database.db)).toEqual([]);
    },
    close: () => t.close(),
  };
  return server;
}

/**
 * Signs up by email and verifies it with the code from the outbox, as a new user of an email
 * product does (the sign-up credits come with the verification); returns the access token.
 */
export async function emailUser(s: PresetServer, email: string): Promise<string> {
  const reg = await s.api('POST', '/auth/register', { body: { email, password: 'password123' } });
  expect(reg.status, JSON.stringify(reg.data)).toBe(201);
  expect((await s.api('POST', '/auth/otp/request', { body: { email, purpose: 'email_verify' } })).status).toBe(202);
  const verified = await s.api('POST', '/auth/otp/verify', { body: { email, purpose: 'email_verify', code: await s.code(email) } });
  expect(verified.status, JSON.stringify(verified.data)).toBe(200);
  return reg.data.access_token as string;
}

/** Buys a package or plan through the manual provider, as the offline checkout does; returns the payment. */
export async function buyManually(s: PresetServer, token: string, item: { package_id: string } | { plan_id: string }): Promise<any> {
  const checkout = await s.api('POST', '/billing/checkout', { token, body: { ...item, provider: 'manual' } });
  expect(checkout.status, JSON.stringify(checkout.data)).toBe(201);
  const done = await s.api('POST', `/billing/manual/${checkout.data.payment.id}/complete`, { token });
  expect(done.status, JSON.stringify(done.data)).toBe(200);
  return done.data;
}
