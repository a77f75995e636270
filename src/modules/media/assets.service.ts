/** Uploading, listing, editing and deleting a user's assets; serving their bytes. */
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { Readable } from 'node:stream';
import { errors } from '../../platform/http/errors.ts';
import { decodeCursor, toPage } from '../../platform/http/pagination.ts';
import { createAssetLinks } from './asset-view.ts';
import * as aq from './assets.queries.ts';
import { removeAssetFromAll } from './collections.queries.ts';
import type { MediaDeps } from './context.ts';
import { assetKeys, deleteAssetFiles, expiryAfter } from './files.ts';
import { prepareImage, reencodedPath, sanitizeFilename, type PreparedImage } from './image.ts';
import type { TAsset, TAssetListQuery, TPatchAssetBody, UploadPurpose } from './media.dto.ts';
import type { RangeRequest } from './range.ts';
import { LINK_TTL_SEC, verifyLink, type Variant } from './signing.ts';
import type { KeptRange } from './strip-metadata.ts';
import type { UploadAllowance } from './limits.ts';
import { checkUploadStorage, checkUploadStorageLocked, spendHourlyUpload } from './upload-limits.ts';

/** The given ranges of a file as one stream, hashed on the way through. */
function readRanges(path: string, ranges: KeptRange[], hash: Hash): Readable {
  return Readable.from(
    (async function* () {
      for (const r of ranges) {
        for await (const chunk of createReadStream(path, { start: r.start, end: r.end - 1, highWaterMark: 256 * 1024 })) {
          hash.update(chunk as Buffer);
          yield chunk as Buffer;
        }
      }
    })(),
  );
}

export interface UploadInput {
  /** The upload as received, in a temporary file the caller removes afterwards. */
  file: { path: string; head: Buffer; size: number };
  filename: string | undefined;
  purpose: UploadPurpose;
  tags: string[];
}

/** Who may read an asset's bytes: its owner, anyone for a public asset, or a valid signed link. */
export interface ContentAccess {
  userId: string | undefined;
  expires: number | undefined;
  sig: string | undefined;
}

export function createAssetsService(deps: MediaDeps) {
  const links = createAssetLinks(deps);

  async function upload(ownerId: string, input: UploadInput): Promise<TAsset> {
    const allowance = await deps.limits.uploads(ownerId);
    // The plan's bounds before any decoding (decision 110): the hour's count, then the bytes held.
    await spendHourlyUpload(deps.db, ownerId, allowance, deps.clock.now());
    await checkUploadStorage(deps.db, ownerId, allowance, input.file.size);
    // Uploads follow the plan's retention; training photos and avatars are kept while something
    // uses them, and go after `unusedDays` otherwise (the retention sweeper asks).
    const days = input.purpose === 'upload' ? allowance.retentionDays : deps.config.uploads.unusedDays;
    try {
      const image = await prepareImage(input.file, { maxPixels: deps.config.uploads.maxPixels });
      return await store(ownerId, input, image, days, allowance);
    } finally {
      await fs.rm(reencodedPath(input.file.path), { force: true });
    }
  }

  async function store(ownerId: string, input: UploadInput, image: PreparedImage, days: number | null, allowance: UploadAllowance): Promise<TAsset> {
    const id = randomUUID();
    const { storageKey, thumbnailKey } = assetKeys(ownerId, id, image.extension);
    const now = deps.clock.now();
    // Files first, row last; if anything fails the files are removed, so a failed upload leaves
    // neither a row nor a file. The original is copied (and hashed) while the thumbnail is still
    // being decoded; a thumbnail that fails means a damaged file, and both files go. Everything
    // settles before any cleanup, so nothing writes after it.
    const sha = createHash('sha256');
    const puts = await Promise.allSettled([
      deps.storage.put(storageKey, readRanges(image.bytes.path, image.bytes.ranges, sha), {
        contentType: image.mimeType,
        contentLength: image.bytes.size,
      }),
      image.thumbnail.then((thumb) => deps.storage.put(thumbnailKey, thumb, { contentType: 'image/webp' })),
    ]);
    try {
      for (const p of puts) if (p.status === 'rejected') throw p.reason;
      const row = await deps.db.transaction(async (tx) => {
        await checkUploadStorageLocked(tx, ownerId, allowance, image.bytes.size);
        return aq.insertAsset(tx, {
          id,
          ownerId,
          kind: input.purpose,
          storageKey,
          thumbnailKey,
          filename: sanitizeFilename(input.filename, image.extension),
          mimeType: image.mimeType,
          sizeBytes: image.bytes.size,
          width: image.width,
          height: image.height,
          sha256: sha.digest('hex'),
          tags: input.tags,
          metadata: { source: image.source },
          expiresAt: expiryAfter(now, days),
          createdAt: now,
          updatedAt: now,
        });
      });
      return await links.view(row);
    } catch (err) {
      await deleteAssetFiles(deps.storage, { storageKey, thumbnailKey });
      throw err;
    }
  }

  async function list(ownerId: string, q: TAssetListQuery) {
    const rows = await aq.listAssets(
      deps.db,
      ownerId,
      { kind: q.kind, favorite: q.favorite, collectionId: q.collection_id, generationId: q.generation_id, tag: q.tag },
      decodeCursor(q.cursor),
      q.limit,
    );
    const page = toPage(rows, q.limit, (r) => r);
    return { data: await Promise.all(page.data.map(links.view)), next_cursor: page.next_cursor };
  }

  async function owned(ownerId: string, id: string): Promise<aq.AssetRow> {
    const row = await aq.findOwnedAsset(deps.db, ownerId, id);
    if (!row) throw errors.notFound('Asset');
    return row;
  }

  async function get(ownerId: string, id: string): Promise<TAsset> {
    return links.view(await owned(ownerId, id));
  }

  async function update(ownerId: string, id: string, body: TPatchAssetBody): Promise<TAsset> {
    const patch: Partial<aq.NewAsset> = { updatedAt: deps.clock.now() };
    if (body.is_favorite !== undefined) patch.isFavorite = body.is_favorite;
    if (body.rating !== undefined) patch.rating = body.rating;
    if (body.notes !== undefined) patch.notes = body.notes;
    if (body.tags !== undefined) patch.tags = [...new Set(body.tags)];
    if (body.is_public !== undefined) patch.isPublic = body.is_public;
    if (body.is_selected !== undefined) patch.isSelected = body.is_selected;
    const row = await aq.updateOwnedAsset(deps.db, ownerId, id, patch);
    if (!row) throw errors.notFound('Asset');
    return links.view(row);
  }

  /** Row first (so nobody is served a file about to go), then the files. */
  async function remove(ownerId: string, id: string): Promise<void> {
    const now = deps.clock.now();
    const row = await deps.db.transaction(async (tx) => {
      if (!(await aq.findOwnedAsset(tx, ownerId, id))) return undefined;
      await removeAssetFromAll(tx, id, now);
      return aq.deleteOwnedAsset(tx, ownerId, id);
    });
    if (!row) throw errors.notFound('Asset');
    await deleteFiles(row);
  }

  async function deleteFiles(row: Pick<aq.AssetRow, 'storageKey' | 'thumbnailKey' | 'id'>): Promise<void> {
    for (const err of await deleteAssetFiles(deps.storage, row)) deps.log.warn({ err, assetId: row.id }, 'media: file left behind after delete');
  }

  /** The bytes of an asset or its thumbnail, for the content routes. */
  async function open(id: string, variant: Variant, access: ContentAccess, range: (size: number) => RangeRequest, download: boolean) {
    const row = await aq.findAssetById(deps.db, id);
    const signed =
      access.sig !== undefined && access.expires !== undefined && verifyLink(deps.secret, id, variant, access.expires, access.sig, deps.clock.now());
    if (!row || !(signed || row.isPublic || row.ownerId === access.userId)) {
      if (access.userId === undefined && access.sig === undefined) throw errors.unauthorized();
      throw errors.notFound('Asset');
    }
    const key = variant === 'content' ? row.storageKey : row.thumbnailKey;
    const size = key ? await deps.storage.size(key) : null;
    if (!key || size === null) throw errors.notFound('Asset file');
    const r = range(size);
    if (r === 'unsatisfiable') throw errors.rangeNotSatisfiable(size);
    const object = await deps.storage.get(key, r ?? undefined);
    if (!object) throw errors.notFound('Asset file');
    if (download && variant === 'content' && (!r || r.start === 0)) await aq.incrementDownloads(deps.db, id);
    return {
      stream: object.stream,
      size,
      range: r,
      mimeType: variant === 'content' ? row.mimeType : 'image/webp',
      filename: variant === 'content' ? row.filename : `${row.filename.replace(/\.[^.]*$/, '')}.thumb.webp`,
      etag: `"${row.sha256.slice(0, 32)}${variant === 'thumbnail' ? '-t' : ''}"`,
    };
  }

  /** For other modules: does this user own this asset? */
  async function isOwnedBy(ownerId: string, id: string): Promise<boolean> {
    return (await aq.findOwnedAsset(deps.db, ownerId, id)) !== undefined;
  }

  /** For the user view: a signed link to the avatar's 320 px thumbnail (or the image), null when gone. */
  async function avatarUrl(ownerId: string, id: string): Promise<{ url: string; showUntil: Date } | null> {
    const row = await aq.findOwnedAsset(deps.db, ownerId, id);
    if (!row) return null;
    // Taken before signing, so the link lives at least LINK_TTL_SEC from it; handed out for half of
    // that, a link someone is given (from a cached view too) always has half an hour left.
    const showUntil = new Date(deps.clock.now().getTime() + (LINK_TTL_SEC * 1000) / 2);
    const url = (await links.link(row, 'thumbnail')) ?? (await links.link(row, 'content'));
    return url ? { url, showUntil } : null;
  }

  return { upload, list, get, update, remove, open, isOwnedBy, avatarUrl, deleteFiles, links };
}
export type AssetsService = ReturnType<typeof createAssetsService>;
