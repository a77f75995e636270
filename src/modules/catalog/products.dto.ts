import { z } from 'zod';
import { ZListQuery } from '../../platform/http/pagination.ts';
import { ZJsonValue } from '../../platform/http/schemas.ts';

/** custom_fields is any JSON object the owner likes, capped so a product row stays small. */
export const CUSTOM_FIELDS_MAX_BYTES = 16 * 1024;
export const MAX_PRODUCT_IMAGES = 20;

const ZCustomFields = z
  .record(z.string().min(1).max(100), ZJsonValue)
  .refine((v) => Buffer.byteLength(JSON.stringify(v)) <= CUSTOM_FIELDS_MAX_BYTES, { message: `at most ${CUSTOM_FIELDS_MAX_BYTES} bytes of JSON` });
const ZTag = z.string().trim().min(1).max(50);

const fields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).nullable().optional(),
  sku: z.string().trim().min(1).max(100).nullable().optional(),
  image_asset_ids: z.array(z.uuid()).max(MAX_PRODUCT_IMAGES).optional(),
  primary_image_asset_id: z.uuid().nullable().optional(),
  custom_fields: ZCustomFields.optional(),
  tags: z.array(ZTag).max(50).optional(),
  is_active: z.boolean().optional(),
};

export const ZCreateProductBody = z.strictObject(fields);
export type TCreateProductBody = z.infer<typeof ZCreateProductBody>;
export const ZPatchProductBody = z.strictObject({ ...fields, name: fields.name.optional() });
export type TPatchProductBody = z.infer<typeof ZPatchProductBody>;

export const ZProductListQuery = ZListQuery.extend({
  tag: ZTag.optional(),
  sku: z.string().trim().min(1).max(100).optional(),
  q: z.string().trim().min(1).max(200).optional(),
});
export type TProductListQuery = z.infer<typeof ZProductListQuery>;

export const ZProductImage = z.object({
  asset_id: z.uuid(),
  url: z.string(),
  filename: z.string(),
  uploaded_at: z.string(),
  is_primary: z.boolean(),
  size_bytes: z.number().int(),
});

export const ZProduct = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  sku: z.string().nullable(),
  custom_fields: z.record(z.string(), z.unknown()),
  tags: z.array(z.string()),
  is_active: z.boolean(),
  images: z.array(ZProductImage),
  image_asset_ids: z.array(z.uuid()),
  primary_image_asset_id: z.uuid().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TProduct = z.infer<typeof ZProduct>;
