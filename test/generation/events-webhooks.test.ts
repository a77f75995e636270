/**
 * Live status: the SSE stream of a generation, and signed outgoing webhooks with retries.
 * Real: app listening on a local port (the stream is read over HTTP as it arrives), database
 * (PGlite or PostgreSQL; the status bus is NOTIFY on PostgreSQL, in-process on PGlite), pg-boss and
 * the in-process workers, the webhook delivery job and its HTTP requests, signatures checked here
 * as a receiver would (Standard Webhooks). Stand-ins: the image provider
 * (test/helpers/stand-in-provider.ts), the webhook receiver (a node:http server in this file).
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, sqlRows } from '../helpers/app.ts';
import { createGenerationTestApp, final, type GenerationTestApp } from '../helpers/generation.ts';
import { createStandInProvider } from '../helpers/stand-in-provider.ts';

let t: GenerationTestApp;
let base: string;
const standIn = createStandInProvider();
beforeAll(async () => {
  t = await createGenerationTestApp({ generation: { providers: [standIn.provider] } });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  standIn.reset();
  await t.invariants();
});
afterAll(async () => t?.close());

/** Reads SSE events from a fetch body as they arrive. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return async function next(): Promise<{ event: string; data: any } | null> {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(':')) continue;
        const lines = Object.fromEntries(block.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
        return { event: lines.event!, data: JSON.parse(lines.data!) };
      }
      const { value, done } = await reader.read();
      if (done) return null;
      buffer += decoder.decode(value, { stream: true });
    }
  };
}

describe('GET /generations/{id}/events', () => {
  it('sends the current state first, then each change, and ends after the final status', async () => {
    const u = await t.user(5);
    const src = await t.sourceAsset(u.token);
    const created = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'upscale', source_asset_ids: [src] } });
    const res = await fetch(`${base}/api/v1/generations/${created.data.id}/events`, { headers: { authorization: `Bearer ${u.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const next = sseReader(res.body!);
    const first = await next();
    expect(first).toMatchObject({ event: 'status', data: { id: created.data.id, status: 'pending' } });
    // Nothing runs it until now, so pending is certainly the first state seen.
    let release!: () => void;
    standIn.script({ kind: 'gate', until: new Promise<void>((r) => (release = r)) });
    await t.startWorkers();
    expect((await next())!.data.status).toBe('processing');
    release();
    const last = await next();
    expect(last!.data).toMatchObject({ status: 'completed', credits_used: 1 });
    expect(last!.data.outputs).toHaveLength(1);
    expect(await next()).toBeNull();
  });

  it("answers 404 for another user's generation and 401 without a token", async () => {
    const u = await t.user(5);
    const other = await t.user(0);
    const src = await t.sourceAsset(u.token);
    const created = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'upscale', source_asset_ids: [src] } });
    expect((await call(t.app, 'GET', `/api/v1/generations/${created.data.id}/events`, { token: other.token })).statusCode).toBe(404);
    expect((await call(t.app, 'GET', `/api/v1/generations/${created.data.id}/events`)).statusCode).toBe(401);
    await t.until(u.token, created.data.id, final);
  });
});

describe('outgoing webhooks', () => {
  it('signs each event with the user secret, keeps webhook-id across retries and records every attempt', async () => {
    const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
    let requests = 0;
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests++;
        received.push({ headers: req.headers, body });
        // The first delivery fails; its retry and everything after succeed.
        res.writeHead(requests === 1 ? 500 : 204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      const u = await t.user(5);
      const secret = (await call(t.app, 'GET', '/api/v1/me/webhook-secret', { token: u.token })).data.secret as string;
      const src = await t.sourceAsset(u.token);
      await t.startWorkers();
      standIn.script({ kind: 'ok' });
      const created = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'upscale', source_asset_ids: [src], webhook_url: url } });
      const id = created.data.id;
      await t.until(u.token, id, final);
      await expect.poll(() => received.length, { timeout: 20_000, interval: 100 }).toBe(3);

      const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
      for (const r of received) {
        const msgId = r.headers['webhook-id'] as string;
        const ts = r.headers['webhook-timestamp'] as string;
        const expected = createHmac('sha256', key).update(`${msgId}.${ts}.${r.body}`).digest('base64');
        expect(r.headers['webhook-signature']).toBe(`v1,${expected}`);
        expect(JSON.parse(r.body).data.id).toBe(id);
      }
      const [failed, retried] = [received[0]!, received.find((r, i) => i > 0 && r.headers['webhook-id'] === received[0]!.headers['webhook-id'])!];
      expect(retried).toBeDefined();
      expect(retried.body).toBe(failed.body);
      const types = new Set(received.map((r) => JSON.parse(r.body).type));
      expect(types).toEqual(new Set(['generation.started', 'generation.completed']));
      const completed = received.find((r) => JSON.parse(r.body).type === 'generation.completed')!;
      expect(JSON.parse(completed.body).data).toMatchObject({ status: 'completed', credits_used: 1 });

      const rows = await sqlRows<any>(t, `select message_id, attempt, status, http_status from webhook_deliveries where generation_id = '${id}' order by created_at`);
      expect(rows).toHaveLength(3);
      expect(rows.filter((r) => r.message_id === failed.headers['webhook-id']).map((r) => [r.attempt, r.status, r.http_status])).toEqual([
        [1, 'failed', 500],
        [2, 'delivered', 204],
      ]);
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });

  it('refuses a non-http webhook_url and unknown events, creating nothing', async () => {
    const u = await t.user(5);
    const src = await t.sourceAsset(u.token);
    const bad = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'upscale', source_asset_ids: [src], webhook_url: 'ftp://example.com/x' } });
    expect(bad.statusCode).toBe(400);
    const badEvent = await call(t.app, 'POST', '/api/v1/generations', {
      token: u.token,
      body: { type: 'upscale', source_asset_ids: [src], webhook_url: 'http://127.0.0.1:9/x', webhook_events: ['generation.exploded'] },
    });
    expect(badEvent.statusCode).toBe(400);
    expect(await t.balance(u.id)).toEqual({ available: 5, held: 0 });
  });
});
