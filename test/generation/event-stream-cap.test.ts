/**
 * A cap on open event streams per user (issue 16, item 9): each stream holds a socket and polls the
 * database, so one user cannot open them without end. Beyond ATELIER_EVENT_STREAMS_PER_USER the
 * answer is 429 `rate_limited` with Retry-After; closing one frees its place; other users are not
 * affected.
 * Real: the app listening on a local port, streams read over HTTP, the database and queue.
 * Stand-in: the image provider (no worker runs, so the generation stays pending and its streams open).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/app.ts';
import { createGenerationTestApp, type GenerationTestApp } from '../helpers/generation.ts';
import { createStandInProvider } from '../helpers/stand-in-provider.ts';

let t: GenerationTestApp;
let base: string;
beforeAll(async () => {
  t = await createGenerationTestApp({ env: { ATELIER_EVENT_STREAMS_PER_USER: '2' }, generation: { providers: [createStandInProvider().provider] } });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  t?.app.server.closeAllConnections(); // fetch keeps connections alive; close() would wait for them
  await t?.close();
});

async function openStream(token: string, id: string) {
  const abort = new AbortController();
  const res = await fetch(`${base}/api/v1/generations/${id}/events`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
  if (res.status !== 200) return { res, body: await res.text(), close: () => {} };
  // The first event arrives once the stream is open and counted.
  const reader = res.body!.getReader();
  await reader.read();
  return { res, body: '', close: () => void reader.cancel().catch(() => {}) };
}

describe('open event streams per user', () => {
  it('refuses a stream beyond the cap with 429, frees a place when one closes, and leaves other users alone', async () => {
    const u = await t.user(5);
    const other = await t.user(5);
    const src = await t.sourceAsset(u.token);
    const created = await call(t.app, 'POST', '/api/v1/generations', { token: u.token, body: { type: 'upscale', source_asset_ids: [src] } });
    expect(created.statusCode, created.body).toBe(202);
    const id = created.data.id as string;

    const first = await openStream(u.token, id);
    const second = await openStream(u.token, id);
    expect([first.res.status, second.res.status]).toEqual([200, 200]);
    const third = await openStream(u.token, id);
    expect(third.res.status).toBe(429);
    expect(third.res.headers.get('retry-after')).toBe('5');
    const problem = JSON.parse(third.body) as { code: string; limit: number };
    expect(problem).toMatchObject({ code: 'rate_limited', limit: 2 });

    // Another user's own streams are counted apart (theirs is a 404 here: the generation is not theirs).
    const src2 = await t.sourceAsset(other.token);
    const theirs = await call(t.app, 'POST', '/api/v1/generations', { token: other.token, body: { type: 'upscale', source_asset_ids: [src2] } });
    const otherStream = await openStream(other.token, theirs.data.id);
    expect(otherStream.res.status).toBe(200);

    // Closing a stream gives its place back (the server notices the closed socket shortly after).
    first.close();
    let again = await openStream(u.token, id);
    for (let i = 0; i < 200 && again.res.status === 429; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      again = await openStream(u.token, id);
    }
    expect(again.res.status).toBe(200);
    for (const s of [second, again, otherStream]) s.close();
  });
});
