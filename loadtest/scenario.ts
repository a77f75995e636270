/**
 * One simulated user: signs up once, then until the deadline signs in now and then, reads its
 * account, lists its library and generations, uploads a photo, keeps credits topped up through the
 * manual payment provider, and runs an `upscale` on the local provider whose progress it follows
 * over server-sent events. Requests go to the API nodes in turn; every answer is timed per route.
 */
import { randomUUID } from 'node:crypto';
import type { Recorder } from './recorder.ts';

export interface ScenarioContext {
  apiUrls: string[];
  deadline: number;
  photo: Buffer;
  recorder: Recorder;
  /** The user's own address, sent as X-Forwarded-For. */
  ip: string;
  packageId: string;
}

type Answer = { status: number; body: any };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runUser(ctx: ScenarioContext, n: number): Promise<void> {
  let turn = n;
  const base = () => ctx.apiUrls[turn++ % ctx.apiUrls.length]!;
  let token = '';

  async function request(route: string, method: string, path: string, opts: { json?: unknown; form?: FormData; headers?: Record<string, string>; expect?: number[] } = {}): Promise<Answer> {
    const headers: Record<string, string> = { 'x-forwarded-for': ctx.ip, ...opts.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | FormData | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.form) body = opts.form;
    // As a careful client does: a 503 `unavailable` (a dependency down, nothing written) is tried
    // again after its Retry-After, for up to about a minute. Each one is counted, not hidden.
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      try {
        const res = await fetch(`${base()}${path}`, { method, headers, ...(body ? { body } : {}) });
        const text = await res.text();
        const parsed = text ? JSON.parse(text) : undefined;
        if (res.status === 503 && parsed?.code === 'unavailable' && attempt < 12) {
          ctx.recorder.unavailable(route);
          await sleep(Number(res.headers.get('retry-after') ?? 5) * 1000);
          continue;
        }
        ctx.recorder.record(route, performance.now() - started, res.status, (opts.expect ?? [200, 201, 202, 204]).includes(res.status));
        return { status: res.status, body: parsed };
      } catch (err) {
        ctx.recorder.record(route, performance.now() - started, 0, false, String(err));
        return { status: 0, body: undefined };
      }
    }
  }

  /**
   * Follows a generation's event stream until a final status, reconnecting as EventSource does when
   * the stream drops or is refused (a restarting database); gives up after a minute.
   */
  async function follow(id: string): Promise<string> {
    const started = performance.now();
    const giveUpAt = Date.now() + 60_000;
    let last = 'unknown';
    const final = () => ['completed', 'failed', 'cancelled'].includes(last);
    while (!final() && Date.now() < giveUpAt) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), giveUpAt - Date.now());
      try {
        const res = await fetch(`${base()}/api/v1/generations/${id}/events`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': ctx.ip }, signal: controller.signal });
        if (res.status === 503) ctx.recorder.unavailable('SSE generation to final status');
        if (res.ok && res.body) {
          const decoder = new TextDecoder();
          let buffer = '';
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            buffer += decoder.decode(chunk, { stream: true });
            for (const m of buffer.matchAll(/"status":"(\w+)"/g)) last = m[1]!;
            if (final()) break;
            buffer = buffer.slice(-200);
          }
        }
      } catch {
        // aborted or dropped: reconnect below, or give up at the deadline
      } finally {
        clearTimeout(timer);
        controller.abort();
      }
      if (!final() && Date.now() < giveUpAt) await sleep(1000);
    }
    ctx.recorder.record('SSE generation to final status', performance.now() - started, final() ? 200 : 0, last === 'completed', final() ? undefined : `stream ended at ${last}`);
    return last;
  }

  const email = `load-${n}-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'load-test-password';
  const signedUp = await request('POST /auth/register', 'POST', '/api/v1/auth/register', { json: { email, password, full_name: `Load ${n}` }, expect: [201] });
  token = signedUp.body?.access_token ?? '';
  let refresh: string = signedUp.body?.refresh_token ?? '';
  let round = 0;

  while (Date.now() < ctx.deadline && token) {
    round++;
    if (round % 10 === 0) {
      token = '';
      const login = await request('POST /auth/login', 'POST', '/api/v1/auth/login', { json: { email, password } });
      token = login.body?.access_token ?? '';
      refresh = login.body?.refresh_token ?? refresh;
      if (!token) break;
    } else if (round % 5 === 0) {
      const r = await request('POST /auth/refresh', 'POST', '/api/v1/auth/refresh', { json: { refresh_token: refresh } });
      if (r.body?.access_token) {
        token = r.body.access_token;
        refresh = r.body.refresh_token;
      }
    }
    const me = await request('GET /me', 'GET', '/api/v1/me');
    await request('GET /assets', 'GET', '/api/v1/assets?limit=20');
    await request('GET /generations', 'GET', '/api/v1/generations?limit=20');

    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(ctx.photo)], { type: 'image/png' }), 'photo.png');
    const asset = await request('POST /assets', 'POST', '/api/v1/assets', { form, expect: [201] });
    if (!asset.body?.id) continue;

    if ((me.body?.credits?.available ?? 0) < 2) {
      const checkout = await request('POST /billing/checkout', 'POST', '/api/v1/billing/checkout', { json: { package_id: ctx.packageId, provider: 'manual' }, headers: { 'idempotency-key': randomUUID() }, expect: [201] });
      const paymentId = checkout.body?.payment?.id;
      if (paymentId) await request('POST /billing/manual/{id}/complete', 'POST', `/api/v1/billing/manual/${paymentId}/complete`);
      await request('GET /billing/payments', 'GET', '/api/v1/billing/payments?limit=5');
    }

    const submitted = await request('POST /generations', 'POST', '/api/v1/generations', {
      json: { type: 'upscale', source_asset_ids: [asset.body.id], params: { factor: 2 } },
      headers: { 'idempotency-key': randomUUID() },
      expect: [202],
    });
    if (submitted.body?.id) await follow(submitted.body.id);
  }
}
