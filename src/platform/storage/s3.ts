/** Storage in an S3-compatible bucket (AWS, MinIO, R2, …) through the AWS SDK. */
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
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

  return {
    driver: 's3',
    async put(key, body, putOpts = {}) {
      // PutObject needs a known length. Given one, the stream is sent as it is read: S3 stores
      // nothing unless exactly that many bytes arrive. Otherwise the (capped) object is gathered first.
      if (!Buffer.isBuffer(body) && putOpts.contentLength !== undefined) {
        await client.send(
          new PutObjectCommand({ Bucket, Key: keyOf(key), Body: body, ContentLength: putOpts.contentLength, ContentType: putOpts.contentType }),
        );
        return putOpts.contentLength;
      }
      const bytes = Buffer.isBuffer(body) ? body : await buffer(body);
      await client.send(new PutObjectCommand({ Bucket, Key: keyOf(key), Body: bytes, ContentLength: bytes.length, ContentType: putOpts.contentType }));
      return bytes.length;
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
