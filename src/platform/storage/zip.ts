/**
 * Zips of stored objects, streamed: each object is opened only when the zip reaches it, so one
 * file at a time is read, and stored without recompression (images are compressed already).
 */
import { PassThrough, type Readable } from 'node:stream';
import type { ZipFile } from 'yazl';
import type { Storage } from './storage.ts';

export function addStoredFile(zip: ZipFile, storage: Storage, name: string, file: { key: string; size: number; mtime: Date; assetId: string }): void {
  zip.addReadStreamLazy(name, { compress: false, mtime: file.mtime, size: file.size }, (cb) => {
    storage.get(file.key).then(
      (obj) => (obj ? cb(null, obj.stream) : cb(new Error(`file missing for asset ${file.assetId}`), new PassThrough())),
      (err: unknown) => cb(err, new PassThrough()),
    );
  });
}

/** Ends the zip and returns its bytes as a stream that fails (instead of ending short) when the zip does. */
export function zipOutput(zip: ZipFile, onError?: (err: Error) => void): Readable {
  zip.end();
  const out = new PassThrough();
  zip.outputStream.on('error', (err) => out.destroy(err as Error));
  zip.on('error', (err: Error) => {
    onError?.(err);
    out.destroy(err);
  });
  zip.outputStream.pipe(out);
  return out;
}
