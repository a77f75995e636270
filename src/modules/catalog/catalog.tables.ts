/** Products (owned by a user), templates with categories and metrics, and styles (shared, admin-managed). */
import { sql } from 'drizzle-orm';
import { boolean, check, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.ts';
import { assets } from '../media/media.tables.ts';
import type { TemplateLayout } from './engine-contract.ts';

const ts = () => timestamp({ withTimezone: true, precision: 3 });

export const products = pgTable(
  'products',
  {
    id: uuid().primaryKey().defaultRandom(),
    ownerId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    description: text(),
    sku: text(),
    customFields: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    isActive: boolean().notNull().default(true),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    index('products_owner_created').on(t.ownerId, t.createdAt, t.id),
    index('products_owner_sku').on(t.ownerId, t.sku),
    index('products_tags').using('gin', t.tags),
  ],
);

export const productImages = pgTable(
  'product_images',
  {
    productId: uuid()
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    /** Deleting the asset takes it off the product. */
    assetId: uuid()
      .notNull()
      .references(() => assets.id, { onDelete: 'cascade' }),
    isPrimary: boolean().notNull().default(false),
    position: integer().notNull(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.assetId] }),
    index('product_images_asset').on(t.assetId),
    // At most one primary image per product.
    uniqueIndex('product_images_one_primary').on(t.productId).where(sql`${t.isPrimary}`),
  ],
);

export const templates = pgTable(
  'templates',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    description: text(),
    size: text(),
    width: integer(),
    height: integer(),
    format: text(),
    industry: text(),
    style: text(),
    campaignType: text(),
    /** Headline/body/cta slots, colours and the image box, read by the ad renderers. */
    layout: jsonb().$type<TemplateLayout>().notNull().default({}),
    previewAssetId: uuid().references(() => assets.id, { onDelete: 'set null' }),
    previewUrl: text(),
    isFeatured: boolean().notNull().default(false),
    isActive: boolean().notNull().default(true),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [uniqueIndex('templates_name').on(t.name), index('templates_created').on(t.createdAt, t.id)],
);

export const categories = pgTable(
  'categories',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    slug: text().notNull(),
    description: text(),
    sortOrder: integer().notNull().default(0),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [uniqueIndex('categories_slug').on(t.slug)],
);

export const templateCategories = pgTable(
  'template_categories',
  {
    templateId: uuid()
      .notNull()
      .references(() => templates.id, { onDelete: 'cascade' }),
    categoryId: uuid()
      .notNull()
      .references(() => categories.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.templateId, t.categoryId] }), index('template_categories_category').on(t.categoryId)],
);

export const templateMetrics = pgTable(
  'template_metrics',
  {
    id: uuid().primaryKey().defaultRandom(),
    templateId: uuid()
      .notNull()
      .references(() => templates.id, { onDelete: 'cascade' }),
    ctr: doublePrecision(),
    conversionRate: doublePrecision(),
    impressions: integer().notNull().default(0),
    engagementRate: doublePrecision(),
    performanceData: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    recordedAt: ts().notNull(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [
    index('template_metrics_template').on(t.templateId, t.recordedAt),
    check('template_metrics_impressions_nonneg', sql`${t.impressions} >= 0`),
  ],
);

export const styleKinds = ['style', 'background', 'scene'] as const;
export type StyleKind = (typeof styleKinds)[number];

export const styles = pgTable(
  'styles',
  {
    id: uuid().primaryKey().defaultRandom(),
    key: text().notNull(),
    name: text().notNull(),
    kind: text({ enum: styleKinds }).notNull(),
    studio: text().notNull(),
    prompt: text().notNull().default(''),
    previewUrl: text(),
    params: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    sortOrder: integer().notNull().default(0),
    isActive: boolean().notNull().default(true),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [uniqueIndex('styles_key').on(t.key), index('styles_studio_kind').on(t.studio, t.kind)],
);
