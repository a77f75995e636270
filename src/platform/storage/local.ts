/** Storage on the local disk: files under a root directory, written to a temp name then renamed. */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertKey, assertPrefix, type Storage } from './storage.ts';

export function createLocalStorage(root: string): Storage {
  const fileOf = (key: string) => {
    assertKey(key);
    return path.join(root, ...key.split('/'));
  };

  async function size(key: string): Promise<number | null> {
    try {
      const st = await fs.stat(fileOf(key));
      return st.isFile() ? st.size : null;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  return {
    driver: 'local',
    async put(key, body, opts = {}) {
      const file = fileOf(key);
      await fs.mkdir(path.dirname(file), { recursive: true });
      // Readers never see a half-written file: the rename is atomic on one filesystem.
      const tmp = `${file}.${randomUUID()}.partial`;
      try {
        await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(tmp, { flags: 'wx' }));
        const written = (await fs.stat(tmp)).size;
        if (opts.contentLength !== undefined && written !== opts.contentLength) {
          throw new Error(`storage: wrote ${written} bytes to ${key}, expected ${opts.contentLength}`);
        }
        await fs.rename(tmp, file);
        return written;
      } catch (err) {
        await fs.rm(tmp, { force: true });
        throw err;
      }
    },
    async get(key, range) {
      const total = await size(key);
      if (total === null) return null;
      const stream = createReadStream(fileOf(key), range ? { start: range.start, end: range.end } : {});
      return { stream, size: total };
    },
    size,
    async exists(key) {
      return (await size(key)) !== null;
    },
    async delete(key) {
      await fs.rm(fileOf(key), { force: true });
    },
    async deletePrefix(prefix) {
      assertPrefix(prefix);
      const dir = path.join(root, ...prefix.slice(0, -1).split('/'));
      const files = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return [];
        throw err;
      });
      await fs.rm(dir, { recursive: true, force: true });
      return files.filter((f) => f.isFile()).length;
    },
    async presignedUrl() {
      return null;
    },
    async ping() {
      await fs.mkdir(root, { recursive: true });
      await fs.access(root, fs.constants.W_OK);
    },
  };
}
