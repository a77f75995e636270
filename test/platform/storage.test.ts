/**
 * Both storage drivers through the same tests.
 * Real: the local-disk driver on a temp dir; the S3 driver with the real AWS SDK against s3rver, a
 * local stand-in for S3 that speaks its protocol on 127.0.0.1.
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalStorage, createS3Storage, type Storage } from '../../src/platform/storage/index.ts';
import { partsOf } from '../../src/platform/storage/s3.ts';
import { startS3rver } from '../helpers/s3.ts';

/** S3's smallest part (but the last). */
const MIN_PART = 5 * 1024 * 1024;

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

const drivers: Array<{ name: string; open(): Promise<{ storage: Storage; close(): Promise<void> }> }> = [
  {
    name: 'local disk',
    async open() {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-storage-'));
      return { storage: createLocalStorage(dir), close: () => fs.rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 's3 (s3rver)',
    async open() {
      const s3 = await startS3rver();
      return { storage: createS3Storage(s3.options), close: s3.close };
    },
  },
];

describe.each(drivers)('storage on $name', (driver) => {
  let storage: Storage;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ storage, close } = await driver.open());
  });
  afterAll(async () => close?.());

  it('deletes a whole folder by prefix, and only that folder', async () => {
    for (const key of ['u/1/a.txt', 'u/1/x/b.txt', 'u/10/c.txt', 'u/1-other/d.txt']) await storage.put(key, Buffer.from(key));
    expect(await storage.deletePrefix('u/1/')).toBe(2);
    expect(await storage.exists('u/1/a.txt')).toBe(false);
    expect(await storage.exists('u/1/x/b.txt')).toBe(false);
    expect(await storage.exists('u/10/c.txt')).toBe(true);
    expect(await storage.exists('u/1-other/d.txt')).toBe(true);
    expect(await storage.deletePrefix('u/1/')).toBe(0);
    expect(await storage.deletePrefix('nothing/here/')).toBe(0);
    await expect(storage.deletePrefix('u/1')).rejects.toThrow(/prefix/);
    await expect(storage.deletePrefix('../')).rejects.toThrow();
  });

  it('puts from a stream, reads back whole and by range, and deletes', async () => {
    const written = await storage.put('a/b/hello.txt', Readable.from([Buffer.from('hello '), Buffer.from('world')]), { contentType: 'text/plain' });
    expect(written).toBe(11);
    expect(await storage.exists('a/b/hello.txt')).toBe(true);
    expect(await storage.size('a/b/hello.txt')).toBe(11);
    const whole = await storage.get('a/b/hello.txt');
    expect(whole!.size).toBe(11);
    expect(await text(whole!.stream)).toBe('hello world');
    const part = await storage.get('a/b/hello.txt', { start: 6, end: 9 });
    expect(part!.size).toBe(11);
    expect(await text(part!.stream)).toBe('worl');
    await storage.delete('a/b/hello.txt');
    expect(await storage.exists('a/b/hello.txt')).toBe(false);
    expect(await storage.get('a/b/hello.txt')).toBeNull();
  });

  it('streams a put of a known length as it is read', async () => {
    const data = Buffer.alloc(700_000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
    const chunks = async function* () {
      for (let i = 0; i < data.length; i += 65_536) yield data.subarray(i, i + 65_536);
    };
    expect(await storage.put('s/streamed.bin', Readable.from(chunks()), { contentLength: data.length })).toBe(data.length);
    const back = await storage.get('s/streamed.bin');
    const got: Buffer[] = [];
    for await (const c of back!.stream) got.push(Buffer.from(c as Uint8Array));
    expect(Buffer.concat(got).equals(data)).toBe(true);
  });

  it('treats deleting a missing object as done, and answers ping', async () => {
    await storage.delete('never/was.bin');
    await storage.ping();
  });

  it('leaves nothing behind when the source stream fails', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(storage.put('broken/file.bin', failing)).rejects.toThrow('client went away');
    expect(await storage.exists('broken/file.bin')).toBe(false);
  });

  it('refuses keys that could escape their place', async () => {
    for (const key of ['../etc/passwd', 'a/../../b', '/abs', 'a//b', 'a/./b', '']) {
      await expect(storage.put(key, Buffer.from('x')), key).rejects.toThrow('invalid storage key');
    }
  });
});

describe('local disk specifics', () => {
  it('writes under its root only and keeps no temp files after a failure', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-storage-'));
    try {
      const storage = createLocalStorage(dir);
      await storage.put('x/y.bin', Buffer.from('data'));
      const failing = new Readable({ read() { this.destroy(new Error('boom')); } });
      await expect(storage.put('x/z.bin', failing)).rejects.toThrow('boom');
      await expect(storage.put('x/w.bin', Readable.from([Buffer.from('abc')]), { contentLength: 4 })).rejects.toThrow('expected 4');
      expect(await fs.readdir(path.join(dir, 'x'))).toEqual(['y.bin']);
      expect(await storage.presignedUrl('x/y.bin', { expiresInSec: 60 })).toBeNull();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('s3 specifics', () => {
  it('makes a presigned URL that fetches the object without other credentials', async () => {
    const s3 = await startS3rver();
    try {
      const storage = createS3Storage(s3.options);
      await storage.put('p/q.txt', Buffer.from('signed bytes'), { contentType: 'text/plain' });
      const url = await storage.presignedUrl('p/q.txt', { expiresInSec: 300 });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/atelier-test\/p\/q\.txt\?.*X-Amz-Signature=/);
      const res = await fetch(url!);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('signed bytes');
    } finally {
      await s3.close();
    }
  });

  it('fails ping when the bucket does not exist', async () => {
    const s3 = await startS3rver();
    try {
      await expect(createS3Storage({ ...s3.options, bucket: 'no-such-bucket' }).ping()).rejects.toThrow();
    } finally {
      await s3.close();
    }
  });

  it('sends a stream of unknown length in parts (a multipart upload) and reads it back whole', async () => {
    const s3 = await startS3rver();
    try {
      const storage = createS3Storage({ ...s3.options, partBytes: MIN_PART });
      // 2.4 parts' worth in uneven chunks, each byte telling its position.
      const total = Math.floor(MIN_PART * 2.4);
      const source = Readable.from(
        (function* () {
          for (let at = 0; at < total; at += 700_001) {
            const chunk = Buffer.alloc(Math.min(700_001, total - at), 0);
            for (let i = 0; i < chunk.length; i++) chunk[i] = (at + i) % 251;
            yield chunk;
          }
        })(),
      );
      expect(await storage.put('exports/big.zip', source, { contentType: 'application/zip' })).toBe(total);
      const back = await storage.get('exports/big.zip');
      expect(back!.size).toBe(total);
      const bytes = await buffer(back!.stream);
      expect(bytes.length).toBe(total);
      const wrong = bytes.findIndex((b, i) => b !== i % 251);
      expect(wrong).toBe(-1);
    } finally {
      await s3.close();
    }
  });

  it('leaves no object when the stream fails after some parts, and aborts the multipart upload', async () => {
    const s3 = await startS3rver();
    const recorder = await recordingProxy(s3.options.endpoint!);
    try {
      const storage = createS3Storage({ ...s3.options, endpoint: recorder.url, partBytes: MIN_PART });
      const failing = Readable.from(
        (function* () {
          yield Buffer.alloc(MIN_PART + 1000, 7);
          yield Buffer.alloc(MIN_PART, 8);
          throw new Error('zip writer failed');
        })(),
      );
      await expect(storage.put('exports/broken.zip', failing)).rejects.toThrow('zip writer failed');
      expect(await storage.exists('exports/broken.zip')).toBe(false);
      const calls = recorder.requests.filter((r) => r.url.includes('broken.zip'));
      expect(calls.map((r) => `${r.method} ${new URL(r.url, 'http://x').searchParams.has('uploadId') ? 'uploadId' : new URL(r.url, 'http://x').searchParams.has('uploads') ? 'uploads' : ''}`)).toEqual([
        'POST uploads',
        'PUT uploadId',
        'PUT uploadId',
        'DELETE uploadId',
        'HEAD ',
      ]);
    } finally {
      await recorder.close();
      await s3.close();
    }
  });
});

/**
 * An HTTP proxy in front of s3rver that records each request. s3rver does not implement
 * AbortMultipartUpload, so the proxy answers that one itself as S3 does (204) instead of passing it on.
 */
async function recordingProxy(target: string) {
  const requests: { method: string; url: string }[] = [];
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method!, url: req.url! });
    if (req.method === 'DELETE' && new URL(req.url!, target).searchParams.has('uploadId')) {
      req.resume();
      res.writeHead(204).end();
      return;
    }
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('partsOf', () => {
  it('cuts a stream into parts of exactly the size asked, the last one shorter, whatever the chunks', async () => {
    const sizes = async (chunks: number[], size: number) => {
      const out: number[] = [];
      for await (const part of partsOf(Readable.from(chunks.map((n) => Buffer.alloc(n, 1))), size)) out.push(part.length);
      return out;
    };
    expect(await sizes([3, 3, 3, 3], 5)).toEqual([5, 5, 2]);
    expect(await sizes([12], 5)).toEqual([5, 5, 2]);
    expect(await sizes([5, 5], 5)).toEqual([5, 5]);
    expect(await sizes([1, 1], 5)).toEqual([2]);
    expect(await sizes([], 5)).toEqual([0]);
  });
});
