/**
 * Reads a multipart upload: the one `file` part is streamed to a temporary file (never held in
 * memory) while busboy counts its bytes, and the text fields are kept, in whatever order the client
 * sent them. Going over the cap stops at once: 413, the temporary file is removed, nothing is stored.
 * The caller removes the temporary file with `discard()` when it is done, whatever happened.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { errors } from '../../platform/http/errors.ts';

export interface UploadedFile {
  /** The temporary file holding the bytes as received. */
  path: string;
  size: number;
  /** The first bytes, for sniffing the type. */
  head: Buffer;
  filename: string | undefined;
}

export interface ReadUpload {
  file: UploadedFile;
  fields: Record<string, string>;
  discard(): Promise<void>;
}

const HEAD_BYTES = 64;
/** Temporary files older than this are left over from a crash; a live upload never takes a day. */
const STALE_MS = 86_400_000;
const isTooLarge = (err: unknown) => (err as { code?: string } | null)?.code === 'FST_REQ_FILE_TOO_LARGE';
const prepared = new Set<string>();

/** Creates the directory once per process, removing what crashed processes left in it. */
async function prepareTmpDir(dir: string): Promise<void> {
  if (prepared.has(dir)) return;
  await fs.mkdir(dir, { recursive: true });
  const cutoff = Date.now() - STALE_MS;
  for (const name of await fs.readdir(dir)) {
    const file = path.join(dir, name);
    const st = await fs.stat(file).catch(() => null);
    if (st && st.mtimeMs < cutoff) await fs.rm(file, { force: true });
  }
  prepared.add(dir);
}

export async function readUpload(request: FastifyRequest, opts: { maxBytes: number; tmpDir: string }): Promise<ReadUpload> {
  if (!request.isMultipart()) throw errors.unsupportedMediaType('Send the image as multipart/form-data with a `file` part.');
  await prepareTmpDir(opts.tmpDir);
  const fields: Record<string, string> = {};
  const tmp = path.join(opts.tmpDir, `${randomUUID()}.upload`);
  const discard = () => fs.rm(tmp, { force: true });
  let file: UploadedFile | undefined;
  const tooLarge = () => errors.payloadTooLarge(`The file is larger than ${opts.maxBytes} bytes.`);
  try {
    for await (const part of request.parts({ limits: { fileSize: opts.maxBytes, files: 1, fields: 10, fieldSize: 4096, parts: 12 } })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file) {
          part.file.resume();
          throw errors.validation([{ path: part.fieldname, message: 'only one file, in the `file` field' }]);
        }
        let size = 0;
        let head = Buffer.alloc(0);
        const count = new Transform({
          transform(chunk: Buffer, _enc, done) {
            size += chunk.length;
            if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
            done(null, chunk);
          },
        });
        await pipeline(part.file, count, createWriteStream(tmp, { flags: 'wx' }));
        if (part.file.truncated) throw tooLarge();
        file = { path: tmp, size, head, filename: part.filename };
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
    if (!file) throw errors.validation([{ path: 'file', message: 'required' }]);
    if (file.size === 0) throw errors.unsupportedMediaType('The file is empty.');
  } catch (err) {
    await discard();
    if (isTooLarge(err)) throw tooLarge();
    throw err;
  }
  return { file, fields, discard };
}
