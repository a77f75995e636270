import { z } from 'zod';
import { ZBytes } from '../../platform/http/schemas.ts';
import { assetKinds } from './media.tables.ts';

export const ZAsset = z.object({
  id: z.uuid(),
  kind: z.enum(assetKinds),
  filename: z.string(),
  mime_type: z.string(),
  size_bytes: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  url: z.string(),
  thumbnail_url: z.string().nullable(),
  is_public: z.boolean(),
  is_favorite: z.boolean(),
  rating: z.number().int().nullable(),
  notes: z.string().nullable(),
  tags: z.array(z.string()),
  generation_id: z.uuid().nullable(),
  download_count: z.number().int(),
  created_at: z.iso.datetime(),
  expires_at: z.iso
    .datetime()
    .nullable()
    .describe('When the file goes (null: kept until deleted) unless a subject, a product or a profile uses it then; one in use is looked at again a week later (`ATELIER_UNUSED_UPLOAD_DAYS`). `training` and `avatar` uploads are kept by use alone: theirs is the first look, a week after upload.'),
  // Added fields (the contract allows additions).
  sha256: z.string(),
  is_selected: z.boolean(),
});
export type TAsset = z.infer<typeof ZAsset>;

export const uploadPurposes = ['upload', 'training', 'avatar'] as const;
export type UploadPurpose = (typeof uploadPurposes)[number];

const ZTag = z.string().trim().min(1).max(50);
export const ZTags = z.array(ZTag).max(20);

/** Multipart text fields, parsed after they are read from the stream. */
export const ZUploadFields = z.object({
  purpose: z.enum(uploadPurposes).default('upload'),
  /** A JSON array or a comma list. */
  tags: z
    .string()
    .max(2000)
    .optional()
    .transform((raw, ctx) => {
      if (!raw) return [];
      let list: unknown;
      try {
        list = raw.trim().startsWith('[') ? JSON.parse(raw) : raw.split(',');
      } catch {
        ctx.addIssue({ code: 'custom', message: 'a JSON array or a comma-separated list' });
        return z.NEVER;
      }
      const parsed = ZTags.safeParse(Array.isArray(list) ? list.filter((t) => t !== '') : list);
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: 'up to 20 tags of 1–50 characters' });
        return z.NEVER;
      }
      return [...new Set(parsed.data)];
    }),
});

/** The whole multipart body of an upload, for the OpenAPI document (the route reads the parts itself). */
export const ZUploadForm = z.object({ file: ZBytes.describe('The image: JPEG, PNG, WebP, GIF, TIFF or AVIF'), ...ZUploadFields.shape });

const ZBool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ZAssetListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
  kind: z.enum(assetKinds).optional(),
  favorite: ZBool.optional(),
  collection_id: z.uuid().optional(),
  generation_id: z.uuid().optional(),
  tag: ZTag.optional(),
});
export type TAssetListQuery = z.infer<typeof ZAssetListQuery>;

export const ZPatchAssetBody = z
  .strictObject({
    is_favorite: z.boolean().optional(),
    rating: z.number().int().min(1).max(5).nullable().optional(),
    notes: z.string().max(5000).nullable().optional(),
    tags: ZTags.optional(),
    is_public: z.boolean().optional(),
    is_selected: z.boolean().optional(),
  });
export type TPatchAssetBody = z.infer<typeof ZPatchAssetBody>;

export const ZIdParams = z.object({ id: z.uuid() });

export const ZContentQuery = z.object({
  download: z.enum(['0', '1']).optional(),
  expires: z.coerce.number().int().optional(),
  sig: z.string().max(128).optional(),
});
export type TContentQuery = z.infer<typeof ZContentQuery>;

export const ZCollection = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  is_public: z.boolean(),
  item_count: z.number().int(),
  cover_url: z.string().nullable(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});
export type TCollection = z.infer<typeof ZCollection>;

export const ZCreateCollectionBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullable().optional(),
  is_public: z.boolean().default(false),
});
export const ZPatchCollectionBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(2000).nullable().optional(),
  is_public: z.boolean().optional(),
});
export type TCreateCollectionBody = z.infer<typeof ZCreateCollectionBody>;
export type TPatchCollectionBody = z.infer<typeof ZPatchCollectionBody>;

/** Most images one request adds to a collection (decision 105). */
export const MAX_ITEMS_PER_ADD = 100;
/**
 * One asset (`asset_id`, the original form) or several (`asset_ids`, added all or nothing): the one
 * object with a rule between its fields, like the zip body, so a bad value is named by its field.
 */
export const ZAddItemBody = z
  .strictObject({
    asset_id: z.uuid().optional(),
    asset_ids: z.array(z.uuid()).min(1).max(MAX_ITEMS_PER_ADD).optional(),
  })
  .refine((b) => (b.asset_id === undefined) !== (b.asset_ids === undefined), { message: 'give asset_id or asset_ids, not both' });
export type TAddItemBody = z.infer<typeof ZAddItemBody>;
/** The collection after the change, and which of the asked-for assets this request put in it. */
export const ZAddItemResponse = ZCollection.extend({
  /** In the order asked; an asset already in the collection is left out (a batch skips it, a single add is 409). */
  added_asset_ids: z.array(z.uuid()),
});
export type TAddItemResponse = z.infer<typeof ZAddItemResponse>;
export const ZItemParams = z.object({ id: z.uuid(), asset_id: z.uuid() });

/** What the public sees of an image in a public album. */
export const ZPublicAsset = ZAsset.pick({ id: true, filename: true, mime_type: true, width: true, height: true, url: true, thumbnail_url: true });
export const ZPublicCollection = ZCollection.extend({ items: z.array(ZPublicAsset) });

export const ZVendorPage = z.object({
  slug: z.string(),
  business_name: z.string(),
  bio: z.string().nullable(),
  location: z.string().nullable(),
  profile_info: z.record(z.string(), z.unknown()),
  /** What the vendor chose to publish for contact (PATCH /me/vendor-profile). */
  contact_info: z.record(z.string(), z.unknown()),
  social_links: z.record(z.string(), z.unknown()),
  /** Set by an admin (decision 045). */
  is_verified: z.boolean(),
});
export const ZSlugParams = z.object({ slug: z.string().min(1).max(100) });

export const ZZipBody = z
  .strictObject({
    asset_ids: z.array(z.uuid()).min(1).max(500).optional(),
    collection_id: z.uuid().optional(),
  })
  .refine((b) => (b.asset_ids === undefined) !== (b.collection_id === undefined), { message: 'give asset_ids or collection_id, not both' });
