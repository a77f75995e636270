/**
 * A local HTTP server standing in for an image provider's API in adapter tests: it records every
 * request (method, path, headers, body) and answers through a handler each test sets, so the test
 * can assert what the adapter sent and play the service's documented answers back.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import sharp from 'sharp';
import type { ProviderCallRecord, ProviderInput, RunContext } from '../../src/modules/generation/providers/provider.ts';

export interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json: any;
}

export type StandInHandler = (req: SeenRequest, res: http.ServerResponse) => unknown;

export interface StandIn {
  base: string;
  seen: SeenRequest[];
  handle(handler: StandInHandler): void;
  close(): Promise<void>;
}

export async function startStandIn(): Promise<StandIn> {
  const seen: SeenRequest[] = [];
  let handler: StandInHandler = (_req, res) => void res.writeHead(500).end();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let json: unknown;
      if (req.headers['content-type']?.startsWith('application/json')) json = JSON.parse(body.toString('utf8'));
      const entry: SeenRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json };
      seen.push(entry);
      void Promise.resolve(handler(entry, res)).catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    handle(h) {
      handler = h;
      seen.length = 0;
    },
    async close() {
      server.closeAllConnections(); // fetch keeps connections alive; close() alone would wait for them
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const sendJson = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

/** A real PNG, small enough for tests. */
export const pngBytes = (color = '#c0392b', size = 16) =>
  sharp({ create: { width: size, height: size, channels: 3, background: color } }).png().toBuffer();

export const jpegBytes = (color = '#2980b9', size = 16) =>
  sharp({ create: { width: size, height: size, channels: 3, background: color } }).jpeg().toBuffer();

/** A run context that records calls; the deadline defaults to a minute away. */
export function runContext(opts: { deadline?: Date; signal?: AbortSignal } = {}) {
  const calls: ProviderCallRecord[] = [];
  const ctx: RunContext = {
    signal: opts.signal ?? new AbortController().signal,
    deadline: opts.deadline ?? new Date(Date.now() + 60_000),
    log: pino({ level: 'silent' }),
    recordCall: (c) => calls.push(c),
  };
  return { ctx, calls };
}

export function providerInput(partial: Partial<ProviderInput> & Pick<ProviderInput, 'type'>): ProviderInput {
  return { generationId: '00000000-0000-4000-8000-000000000001', prompt: null, params: {}, numOutputs: 1, images: [], ...partial };
}

export async function imageInput(role = 'product', bytes?: Buffer) {
  const b = bytes ?? (await jpegBytes());
  return { role, assetId: `asset-${role}`, mimeType: 'image/jpeg', width: 16, height: 16, bytes: b };
}

/** Resolves with the error a promise rejected with (fails the test if it resolved). */
export async function rejectionOf(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}

/** Parses a multipart/form-data body with the platform's own parser. */
export async function formOf(req: SeenRequest): Promise<FormData> {
  return new Response(new Uint8Array(req.body), { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
}

/** Waits until `check` holds for the requests seen so far. */
export async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
