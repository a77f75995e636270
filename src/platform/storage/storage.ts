/**
 * Object storage behind one interface: local disk under the data directory, or any S3-compatible
 * service. Keys are relative, slash-separated paths made by the server (never from user input).
 */
import type { Readable } from 'node:stream';

export interface ByteRange {
  /** Inclusive first byte. */
  start: number;
  /** Inclusive last byte. */
  end: number;
}

export interface StoredObject {
  stream: Readable;
  /** Size of the whole object, not of the range. */
  size: number;
}

export interface PutOptions {
  contentType?: string;
  contentLength?: number;
}

export interface Storage {
  readonly driver: 'local' | 's3';
  /**
   * Writes the whole stream; on failure nothing is left under `key`. Returns the bytes written.
   * With `contentLength` a stream is sent as it is read (S3 needs the length up front) and a body of
   * another length fails; without it, S3 sends it in parts (a multipart upload, one part in memory).
   */
  put(key: string, body: Readable | Buffer, opts?: PutOptions): Promise<number>;
  /** The object (or a byte range of it); null when it does not exist. */
  get(key: string, range?: ByteRange): Promise<StoredObject | null>;
  /** Size in bytes, or null when absent. */
  size(key: string): Promise<number | null>;
  exists(key: string): Promise<boolean>;
  /** Removes the object; absent objects are not an error. */
  delete(key: string): Promise<void>;
  /**
   * Removes every object whose key starts with `prefix` (a folder such as `assets/<user id>/`);
   * returns how many went. Nothing there is not an error, so a repeated call is harmless.
   */
  deletePrefix(prefix: string): Promise<number>;
  /** A direct, expiring URL for the object when the backend can make one (S3); null for local disk. */
  presignedUrl(key: string, opts: { expiresInSec: number; downloadName?: string; contentType?: string }): Promise<string | null>;
  /** Throws when the backend is not reachable or writable. */
  ping(): Promise<void>;
}

/** A prefix is a key ending in `/`: whole folders only, never a partial name. */
export function assertPrefix(prefix: string): void {
  if (!prefix.endsWith('/')) throw new Error(`invalid storage prefix: ${JSON.stringify(prefix)}`);
  assertKey(prefix.slice(0, -1));
}

const KEY = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/i;

/** Keys are made by the server, but a bad one must never reach a path join or a bucket. */
export function assertKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((part) => part === '..' || part === '.') || key.length > 512) {
    throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
  }
}
