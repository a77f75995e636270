/**
 * The server secret signs access tokens and keys OTP hashes. Production passes ATELIER_SECRET (the
 * same on every node); an embedded install generates one once and keeps it in its data dir, so
 * `npm start` needs no configuration and tokens survive a restart.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomToken } from './crypto.ts';

export async function resolveSecret(configured: string | undefined, dataDir: string): Promise<string> {
  if (configured) return configured;
  const file = path.join(dataDir, 'secret.key');
  try {
    const existing = (await fs.readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await fs.mkdir(dataDir, { recursive: true });
  const secret = randomToken(48);
  // 'wx' fails if another process wrote it first; then theirs wins and we read it back.
  try {
    await fs.writeFile(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return (await fs.readFile(file, 'utf8')).trim();
  }
}
