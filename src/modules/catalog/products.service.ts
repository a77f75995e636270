/** A user's products and their images. Everything is owner-scoped: another user's product is 404. */
import type { Clock } from '../../platform/clock.ts';
import type { Db, DbOrTx } from '../../platform/db/types.ts';
import { errors } from '../../platform/http/errors.ts';
import { decodeCursor, toPage } from '../../platform/http/pagination.ts';
import { unownedAssetIds, type AssetLinks } from '../media/index.ts';
import type { TCreateProductBody, TPatchProductBody, TProduct, TProductListQuery } from './products.dto.ts';
import * as q from './products.queries.ts';

export interface ProductsDeps {
  db: Db;
  clock: Clock;
  links: Pick<AssetLinks, 'link'>;
}

type Images = Awaited<ReturnType<typeof q.imagesOf>>;

export function createProductsService(deps: ProductsDeps) {
  async function view(row: q.ProductRow, images: Images): Promise<TProduct> {
    const own = images.filter((i) => i.image.productId === row.id);
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      sku: row.sku,
      custom_fields: row.customFields,
      tags: row.tags,
      is_active: row.isActive,
      images: await Promise.all(
        own.map(async ({ image, asset }) => ({
          asset_id: asset.id,
          url: (await deps.links.link(asset, 'content'))!,
          filename: asset.filename,
          uploaded_at: asset.createdAt.toISOString(),
          is_primary: image.isPrimary,
          size_bytes: asset.sizeBytes,
        })),
      ),
      image_asset_ids: own.map((i) => i.asset.id),
      primary_image_asset_id: own.find((i) => i.image.isPrimary)?.asset.id ?? null,
      created_at: row.createdAt.toISOString(),
      updated_at: row.updatedAt.toISOString(),
    };
  }

  /**
   * Sets the images when the body names them or a new primary. The primary must be one of the images;
   * without one named, the current primary stays if still there, else the first image is primary.
   * Returns the product's images afterwards (`current` when the body leaves them alone).
   */
  async function setImages(tx: DbOrTx, userId: string, productId: string, body: TPatchProductBody, current: Images, now: Date): Promise<Images> {
    if (body.image_asset_ids === undefined && body.primary_image_asset_id === undefined) return current;
    const ids = [...new Set(body.image_asset_ids ?? current.map((i) => i.asset.id))];
    const named = body.primary_image_asset_id;
    if (named && !ids.includes(named)) throw errors.validation([{ path: 'primary_image_asset_id', message: 'must be one of the product images' }]);
    // Another user's asset is as unknown as a missing one.
    if ((await unownedAssetIds(tx, userId, ids)).length > 0) throw errors.notFound('Asset');
    const kept = current.find((i) => i.image.isPrimary && ids.includes(i.asset.id))?.asset.id;
    const primary = named === null ? undefined : (named ?? kept ?? ids[0]);
    await q.replaceImages(tx, productId, ids, primary, now);
    return q.imagesOf(tx, [productId]);
  }

  const fields = (b: TPatchProductBody) =>
    Object.fromEntries(
      Object.entries({ name: b.name, description: b.description, sku: b.sku, customFields: b.custom_fields, tags: b.tags ? [...new Set(b.tags)] : undefined, isActive: b.is_active }).filter(
        ([, v]) => v !== undefined,
      ),
    );

  return {
    async list(userId: string, query: TProductListQuery) {
      const rows = await q.listProducts(deps.db, userId, query, decodeCursor(query.cursor), query.limit);
      const page = toPage(rows, query.limit, (r) => r);
      const images = await q.imagesOf(deps.db, page.data.map((r) => r.id));
      return { data: await Promise.all(page.data.map((r) => view(r, images))), next_cursor: page.next_cursor };
    },

    async get(userId: string, id: string): Promise<TProduct> {
      const row = await q.findProduct(deps.db, userId, id);
      if (!row) throw errors.notFound('Product');
      return view(row, await q.imagesOf(deps.db, [id]));
    },

    create: (userId: string, body: TCreateProductBody): Promise<TProduct> =>
      deps.db.transaction(async (tx) => {
        const now = deps.clock.now();
        const row = await q.insertProduct(tx, { ownerId: userId, name: body.name, ...fields(body), createdAt: now, updatedAt: now });
        return view(row, await setImages(tx, userId, row.id, body, [], now));
      }),

    update: (userId: string, id: string, body: TPatchProductBody): Promise<TProduct> =>
      deps.db.transaction(async (tx) => {
        const now = deps.clock.now();
        const row = await q.updateProduct(tx, userId, id, { ...fields(body), updatedAt: now });
        if (!row) throw errors.notFound('Product');
        return view(row, await setImages(tx, userId, id, body, await q.imagesOf(tx, [id]), now));
      }),

    async remove(userId: string, id: string): Promise<void> {
      if (!(await q.deleteProduct(deps.db, userId, id))) throw errors.notFound('Product');
    },
  };
}
export type ProductsService = ReturnType<typeof createProductsService>;
