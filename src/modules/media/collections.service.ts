/** Collections (albums): a user's named, ordered sets of their own assets; public ones are shown on vendor pages. */
import { errors } from '../../platform/http/errors.ts';
import { decodeCursor, toPage, type TListQuery } from '../../platform/http/pagination.ts';
import { findVendorBySlug } from '../accounts/index.ts';
import { createAssetLinks } from './asset-view.ts';
import { findAssetById } from './assets.queries.ts';
import * as cq from './collections.queries.ts';
import type { MediaDeps } from './context.ts';
import type { TAddItemBody, TAddItemResponse, TCollection, TCreateCollectionBody, TPatchCollectionBody } from './media.dto.ts';
import { unownedAssetIds } from './results.ts';

const PUBLIC_ITEMS = 100;

/** What the transaction of an add decided; the refusals are thrown after it ends. */
type AddOutcome = { refused: 'not_found'; missing: string[] } | { refused: 'quota'; limit: number; used: number; adding: number } | { added: string[] };

export function createCollectionsService(deps: MediaDeps) {
  const links = createAssetLinks(deps);

  async function view(row: cq.CollectionRow): Promise<TCollection> {
    const cover = row.coverAssetId ? await findAssetById(deps.db, row.coverAssetId) : undefined;
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      is_public: row.isPublic,
      item_count: row.itemCount,
      cover_url: cover ? await links.link(cover, 'thumbnail') : null,
      created_at: row.createdAt.toISOString(),
      updated_at: row.updatedAt.toISOString(),
    };
  }

  async function owned(ownerId: string, id: string) {
    const row = await cq.findCollection(deps.db, id, { ownerId });
    if (!row) throw errors.notFound('Collection');
    return row;
  }

  async function list(ownerId: string, q: TListQuery, opts: { publicOnly?: boolean } = {}) {
    const rows = await cq.listCollections(deps.db, ownerId, opts, decodeCursor(q.cursor), q.limit);
    const page = toPage(rows, q.limit, (r) => r);
    return { data: await Promise.all(page.data.map(view)), next_cursor: page.next_cursor };
  }

  async function create(ownerId: string, body: TCreateCollectionBody) {
    const now = deps.clock.now();
    return view(await cq.insertCollection(deps.db, { ownerId, name: body.name, description: body.description ?? null, isPublic: body.is_public, createdAt: now, updatedAt: now }));
  }

  async function get(ownerId: string, id: string) {
    return view(await owned(ownerId, id));
  }

  async function update(ownerId: string, id: string, body: TPatchCollectionBody) {
    const patch: Partial<cq.NewCollection> = { updatedAt: deps.clock.now() };
    if (body.name !== undefined) patch.name = body.name;
    if (body.description !== undefined) patch.description = body.description;
    if (body.is_public !== undefined) patch.isPublic = body.is_public;
    const row = await cq.updateCollection(deps.db, ownerId, id, patch);
    if (!row) throw errors.notFound('Collection');
    return view(row);
  }

  /** The album goes; its assets stay in the library. */
  async function remove(ownerId: string, id: string) {
    if (!(await cq.deleteCollection(deps.db, ownerId, id))) throw errors.notFound('Collection');
  }

  /**
   * Adds one asset (`asset_id`: already there is 409, as it always was) or a batch (`asset_ids`: all
   * or nothing, those already there skipped). The vendor album quota counts the images the request
   * would newly show, under the owner's gallery lock, so parallel requests cannot pass it together.
   */
  async function addItems(ownerId: string, id: string, body: TAddItemBody): Promise<TAddItemResponse> {
    const single = body.asset_ids === undefined;
    const assetIds = [...new Set(body.asset_ids ?? (body.asset_id ? [body.asset_id] : []))];
    await owned(ownerId, id);
    const limit = await deps.limits.galleryImages(ownerId);
    const outcome = await deps.db.transaction(async (tx): Promise<AddOutcome> => {
      const missing = await unownedAssetIds(tx, ownerId, assetIds);
      if (missing.length > 0) return { refused: 'not_found', missing };
      if (limit !== null) {
        await cq.lockGallery(tx, ownerId);
        const shown = await cq.inGallery(tx, ownerId, assetIds);
        const used = await cq.countGalleryImages(tx, ownerId);
        const adding = assetIds.filter((a) => !shown.has(a)).length;
        if (used + adding > limit) return { refused: 'quota', limit, used, adding };
      }
      return { added: await cq.addItems(tx, id, assetIds, deps.clock.now()) };
    });
    if ('refused' in outcome) {
      if (outcome.refused === 'not_found') throw errors.notFound(single ? 'Asset' : `Asset ${outcome.missing.join(', ')}`);
      // The album quota is a standing count, not a period's allowance: it never resets by itself.
      throw errors.quotaExceeded(`Your plan shows up to ${outcome.limit} images in albums; this would show ${outcome.used + outcome.adding}. Remove some or upgrade.`, {
        limit: outcome.limit,
        used: outcome.used,
        requested: outcome.adding,
        resets_at: null,
      });
    }
    if (single && outcome.added.length === 0) throw errors.conflict('The asset is already in this collection.');
    return { ...(await get(ownerId, id)), added_asset_ids: outcome.added };
  }

  async function removeItem(ownerId: string, id: string, assetId: string) {
    await owned(ownerId, id);
    const removed = await deps.db.transaction((tx) => cq.removeItem(tx, id, assetId, deps.clock.now()));
    if (!removed) throw errors.notFound('Collection item');
  }

  async function vendor(slug: string) {
    const v = await findVendorBySlug(deps.db, slug);
    if (!v) throw errors.notFound('Vendor');
    return v;
  }

  async function vendorPage(slug: string) {
    const v = await vendor(slug);
    const text = (x: unknown): string | null => (typeof x === 'string' ? x : null);
    return {
      slug: v.slug,
      business_name: v.businessName,
      bio: text(v.profileInfo.bio),
      location: text(v.profileInfo.location),
      profile_info: v.profileInfo,
      contact_info: v.contactInfo,
      social_links: v.socialLinks,
      is_verified: v.isVerified,
    };
  }

  async function vendorAlbums(slug: string, q: TListQuery) {
    return list((await vendor(slug)).userId, q, { publicOnly: true });
  }

  async function publicCollection(id: string) {
    const row = await cq.findCollection(deps.db, id, { publicOnly: true });
    if (!row) throw errors.notFound('Collection');
    const items = await cq.listItems(deps.db, id, PUBLIC_ITEMS);
    return {
      ...(await view(row)),
      items: await Promise.all(
        items.map(async (a) => ({
          id: a.id,
          filename: a.filename,
          mime_type: a.mimeType,
          width: a.width,
          height: a.height,
          url: (await links.link(a, 'content'))!,
          thumbnail_url: await links.link(a, 'thumbnail'),
        })),
      ),
    };
  }

  return { list, create, get, update, remove, addItems, removeItem, vendorPage, vendorAlbums, publicCollection };
}
export type CollectionsService = ReturnType<typeof createCollectionsService>;
