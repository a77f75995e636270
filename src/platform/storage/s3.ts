/** Storage in an S3-compatible bucket (AWS, MinIO, R2, …) through the AWS SDK. */
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { assertKey, assertPrefix, type Storage } from './storage.ts';

export interface S3Options {
  bucket: string;
  region: string;
  endpoint?: string | undefined;
  forcePathStyle: boolean;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** Prepended to every key, so one bucket can hold several installations. */
  prefix?: string | undefined;
  /**
   * A stream of unknown length is sent in parts of this many bytes (S3 takes 5 MiB at least, except
   * for the last part); at most one part is held in memory. 8 MiB by default.
   */
  partBytes?: number | undefined;
}

export const DEFAULT_PART_BYTES = 8 * 1024 * 1024;

/**
 * The stream cut into buffers of exactly `size` bytes, the last one shorter (never empty unless the
 * whole stream is). Chunks are gathered only until a part is full, so memory stays near one part.
 */
export async function* partsOf(body: AsyncIterable<Uint8Array | string>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let yielded = false;
  for await (const chunk of body) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (pendingBytes + buf.length >= size) {
      const take = size - pendingBytes;
      pending.push(buf.subarray(0, take));
      yield Buffer.concat(pending, size);
      yielded = true;
      buf = buf.subarray(take);
      pending = [];
      pendingBytes = 0;
    }
    if (buf.length > 0) {
      pending.push(buf);
      pendingBytes += buf.length;
    }
  }
  if (pendingBytes > 0 || !yielded) yield Buffer.concat(pending, pendingBytes);
}

const isMissing = (err: unknown) =>
  err instanceof S3ServiceException && (err.$metadata.httpStatusCode === 404 || err.name === 'NotFound' || err.name === 'NoSuchKey');

export function createS3Storage(opts: S3Options): Storage {
  const client = new S3Client({
    region: opts.region,
    // Streamed bodies would otherwise be sent with aws-chunked encoding and a trailing checksum,
    // which several S3-compatible services (and s3rver) store as part of the object. Checksums
    // stay on for the operations that require them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    forcePathStyle: opts.forcePathStyle,
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.accessKeyId && opts.secretAccessKey
      ? { credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } }
      : {}),
  });
  const Bucket = opts.bucket;
  const partBytes = opts.partBytes ?? DEFAULT_PART_BYTES;
  const keyOf = (key: string) => {
    assertKey(key);
    return `${opts.prefix ?? ''}${key}`;
  };

  async function size(key: string): Promise<number | null> {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(key) }));
      return head.ContentLength ?? 0;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  /**
   * A stream of unknown length (an account export's zip, made as it is sent) in parts of
   * `partBytes`, one at a time, so memory holds one part rather than the whole object. A stream that
   * fits in one part is a plain PutObject. If anything fails the multipart upload is aborted: S3
   * shows an object only on CompleteMultipartUpload, so nothing is left under the key, and the
   * parts already sent are freed.
   */
  async function putInParts(Key: string, body: Readable, ContentType: string | undefined): Promise<number> {
    const parts = partsOf(body, partBytes);
    const first = await parts.next();
    const firstPart = first.done ? Buffer.alloc(0) : first.value;
    let next = await parts.next();
    if (next.done) {
      await client.send(new PutObjectCommand({ Bucket, Key, Body: firstPart, ContentLength: firstPart.length, ContentType }));
      return firstPart.length;
    }
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType }));
    if (!UploadId) throw new Error('S3: CreateMultipartUpload answered without an UploadId');
    const sent: { ETag: string; PartNumber: number }[] = [];
    let total = 0;
    try {
      const upload = async (part: Buffer) => {
        const PartNumber = sent.length + 1;
        const res = await client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: part, ContentLength: part.length }));
        if (!res.ETag) throw new Error(`S3: UploadPart ${PartNumber} answered without an ETag`);
        sent.push({ ETag: res.ETag, PartNumber });
        total += part.length;
      };
      await upload(firstPart);
      while (!next.done) {
        await upload(next.value);
        next = await parts.next();
      }
      await client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: sent } }));
      return total;
    } catch (err) {
      await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => undefined);
      throw err;
    }
  }

  return {
    driver: 's3',
    async put(key, body, putOpts = {}) {
      // PutObject needs a known length. Given one, the stream is sent as it is read: S3 stores
      // nothing unless exactly that many bytes arrive. Otherwise it goes up in parts (putInParts).
      if (Buffer.isBuffer(body)) {
        await client.send(new PutObjectCommand({ Bucket, Key: keyOf(key), Body: body, ContentLength: body.length, ContentType: putOpts.contentType }));
        return body.length;
      }
      if (putOpts.contentLength !== undefined) {
        await client.send(
          new PutObjectCommand({ Bucket, Key: keyOf(key), Body: body, ContentLength: putOpts.contentLength, ContentType: putOpts.contentType }),
        );
        return putOpts.contentLength;
      }
      return putInParts(keyOf(key), body, putOpts.contentType);
    },
    async get(key, range) {
      try {
        const res = await client.send(
          new GetObjectCommand({ Bucket, Key: keyOf(key), ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
        );
        const total = range ? Number(/\/(\d+)$/.exec(res.ContentRange ?? '')?.[1] ?? res.ContentLength ?? 0) : (res.ContentLength ?? 0);
        return { stream: res.Body as Readable, size: total };
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    size,
    async exists(key) {
      return (await size(key)) !== null;
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(key) }));
    },
    async deletePrefix(prefix) {
      assertPrefix(prefix);
      const Prefix = `${opts.prefix ?? ''}${prefix}`;
      let removed = 0;
      // List a page, delete it, list again from the start: deleted keys drop out of the listing.
      for (;;) {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix, MaxKeys: 1000 }));
        const keys = (page.Contents ?? []).map((o) => o.Key).filter((k): k is string => Boolean(k));
        if (keys.length === 0) return removed;
        // One DeleteObject per key: every S3-compatible service has it (multi-object delete varies).
        for (let i = 0; i < keys.length; i += 16) {
          await Promise.all(keys.slice(i, i + 16).map((Key) => client.send(new DeleteObjectCommand({ Bucket, Key }))));
        }
        removed += keys.length;
      }
    },
    async presignedUrl(key, p) {
      const disposition = p.downloadName ? `attachment; filename*=UTF-8''${encodeURIComponent(p.downloadName)}` : undefined;
      return getSignedUrl(
        client,
        new GetObjectCommand({ Bucket, Key: keyOf(key), ResponseContentDisposition: disposition, ResponseContentType: p.contentType }),
        { expiresIn: p.expiresInSec },
      );
    },
    async ping() {
      await client.send(new HeadBucketCommand({ Bucket }));
    },
  };
}
