/** Builds the configured storage. */
import path from 'node:path';
import type { Config } from '../../config.ts';
import { createLocalStorage } from './local.ts';
import { createS3Storage } from './s3.ts';
import type { Storage } from './storage.ts';

export type { ByteRange, PutOptions, Storage, StoredObject } from './storage.ts';
export { createLocalStorage } from './local.ts';
export { createS3Storage } from './s3.ts';
export { addStoredFile, zipOutput } from './zip.ts';

export function createStorage(config: Pick<Config, 'dataDir' | 'storage'>): Storage {
  const s = config.storage;
  if (s.driver === 's3') return createS3Storage(s.s3);
  return createLocalStorage(path.join(config.dataDir, 'files'));
}
