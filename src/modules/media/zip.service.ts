/**
 * POST /assets/zip: the chosen assets (or a collection's) streamed as one zip, with a
 * metadata.json describing them. Files are opened one at a time as the zip reaches them, and
 * images are stored without recompression (they are compressed already).
 */
import type { Readable } from 'node:stream';
import yazl from 'yazl';
import { errors } from '../../platform/http/errors.ts';
import { addStoredFile, zipOutput } from '../../platform/storage/index.ts';
import type { AssetRow } from './assets.queries.ts';
import { findAssetsByIds, findCollection, listItems } from './collections.queries.ts';
import type { MediaDeps } from './context.ts';

export const MAX_ZIP_ITEMS = 500;

/** Unique names inside the zip: `name.jpg`, `name (2).jpg`, … */
function uniqueName(used: Set<string>, filename: string): string {
  const dot = filename.lastIndexOf('.');
  const stem = dot > 0 ? filename.slice(0, dot) : filename;
  const ext = dot > 0 ? filename.slice(dot) : '';
  let name = filename;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${stem} (${n})${ext}`;
  used.add(name.toLowerCase());
  return name;
}

export function createZipService(deps: MediaDeps) {
  async function resolve(ownerId: string, input: { asset_ids?: string[] | undefined; collection_id?: string | undefined }): Promise<AssetRow[]> {
    if (input.collection_id) {
      if (!(await findCollection(deps.db, input.collection_id, { ownerId }))) throw errors.notFound('Collection');
      return listItems(deps.db, input.collection_id, MAX_ZIP_ITEMS);
    }
    const ids = [...new Set(input.asset_ids ?? [])];
    const rows = await findAssetsByIds(deps.db, ids);
    const mine = rows.filter((r) => r.ownerId === ownerId);
    // Any id that is not the caller's is "not found", like every other route.
    if (mine.length !== ids.length) throw errors.notFound('Asset');
    const order = new Map(ids.map((id, i) => [id, i]));
    return mine.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  }

  /** Checks everything first (so a bad request is a clean 4xx), then returns the streaming zip. */
  async function build(ownerId: string, input: { asset_ids?: string[] | undefined; collection_id?: string | undefined }): Promise<{ stream: Readable; count: number; name: string }> {
    const rows = await resolve(ownerId, input);
    const zip = new yazl.ZipFile();
    const used = new Set<string>(['metadata.json']);
    const entries = rows.map((row) => ({ row, name: uniqueName(used, row.filename) }));
    for (const { row, name } of entries) {
      addStoredFile(zip, deps.storage, name, { key: row.storageKey, size: row.sizeBytes, mtime: row.createdAt, assetId: row.id });
    }
    const metadata = entries.map(({ row, name }) => ({
      file: name,
      id: row.id,
      kind: row.kind,
      filename: row.filename,
      mime_type: row.mimeType,
      size_bytes: row.sizeBytes,
      width: row.width,
      height: row.height,
      sha256: row.sha256,
      tags: row.tags,
      is_favorite: row.isFavorite,
      rating: row.rating,
      notes: row.notes,
      generation_id: row.generationId,
      created_at: row.createdAt.toISOString(),
    }));
    zip.addBuffer(Buffer.from(JSON.stringify({ assets: metadata }, null, 2)), 'metadata.json', { mtime: deps.clock.now() });
    const stream = zipOutput(zip, (err) => deps.log.warn({ err }, 'media: zip aborted'));
    return { stream, count: rows.length, name: `assets-${deps.clock.now().getTime()}.zip` };
  }

  return { build };
}
export type ZipService = ReturnType<typeof createZipService>;
