/**
 * The export zip: one JSON file per kind of row the user has (user-data.ts), their collections'
 * items, and every original file they uploaded or generated under `files/`. Files are streamed
 * from storage one at a time as the zip reaches them, stored without recompression.
 */
import type { Readable } from 'node:stream';
import yazl from 'yazl';
import type { DbOrTx } from '../../platform/db/types.ts';
import { addStoredFile, zipOutput, type Storage } from '../../platform/storage/index.ts';
import * as q from './privacy.queries.ts';
import { exported } from './user-data.ts';

const README = `This archive holds a copy of the data this service keeps about your account.

account/   your profile, sign-in sessions, API keys (without their secrets) and activity
credits/   your credit balance, grants (lots), holds and every ledger entry
billing/   payments, subscriptions, coupons and gift cards
media/     metadata of your images and collections
generations/  what you generated: prompts, parameters, status, credits, daily usage, webhooks sent
files/     the images themselves, named <image id>-<file name>

Dates are ISO 8601 in UTC; amounts of money are in minor units of their currency.
`;

const json = (value: unknown) => Buffer.from(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v), 2));

/** Gathers the rows (small) first, then returns the zip as a stream that pulls the files lazily. */
export async function buildExportArchive(deps: { db: DbOrTx; storage: Storage; now: Date }, userId: string): Promise<{ stream: Readable; files: number }> {
  const zip = new yazl.ZipFile();
  const mtime = deps.now;
  zip.addBuffer(Buffer.from(README), 'README.txt', { mtime });

  const byFile = new Map<string, Record<string, unknown>[]>();
  for (const source of exported) byFile.set(source.file, [...(byFile.get(source.file) ?? []), ...(await q.selectUserRows(deps.db, source, userId))]);
  byFile.set('media/collection_items.json', await q.selectCollectionItems(deps.db, userId));
  for (const [file, rows] of byFile) zip.addBuffer(json(rows), file, { mtime });

  const files = await q.selectUserFiles(deps.db, userId);
  for (const f of files) {
    const name = `files/${f.id}-${f.filename.replace(/[/\\]/g, '_')}`;
    addStoredFile(zip, deps.storage, name, { key: f.storage_key, size: f.size_bytes, mtime: f.created_at, assetId: f.id });
  }
  return { stream: zipOutput(zip), files: files.length };
}
