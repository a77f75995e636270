import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.ts';

const ts = () => timestamp({ withTimezone: true, precision: 3 });

export const assetKinds = ['upload', 'result', 'training', 'template', 'avatar'] as const;
export type AssetKind = (typeof assetKinds)[number];

export const assets = pgTable(
  'assets',
  {
    id: uuid().primaryKey().defaultRandom(),
    ownerId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text({ enum: assetKinds }).notNull(),
    storageKey: text().notNull(),
    /** Sanitised display name; never used to build a storage key. */
    filename: text().notNull(),
    mimeType: text().notNull(),
    sizeBytes: integer().notNull(),
    width: integer().notNull(),
    height: integer().notNull(),
    sha256: text().notNull(),
    thumbnailKey: text(),
    isPublic: boolean().notNull().default(false),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** The generation that produced it; the FK arrives with the generation module. */
    generationId: uuid(),
    isFavorite: boolean().notNull().default(false),
    rating: integer(),
    notes: text(),
    isSelected: boolean().notNull().default(false),
    downloadCount: integer().notNull().default(0),
    expiresAt: ts(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    index('assets_owner_created_idx').on(t.ownerId, t.createdAt, t.id),
    index('assets_generation_idx').on(t.generationId),
    index('assets_expires_at_idx').on(t.expiresAt),
    index('assets_tags_idx').using('gin', t.tags),
    check('assets_kind_check', sql`${t.kind} in ('upload', 'result', 'training', 'template', 'avatar')`),
    check('assets_rating_check', sql`${t.rating} is null or ${t.rating} between 1 and 5`),
  ],
);

/**
 * Uploads counted per user in fixed one-hour windows, against the plan's `uploads_per_hour`. A
 * counter rather than a count of assets, so deleting what was uploaded does not give uploads back.
 */
export const uploadCounters = pgTable('upload_counters', {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  windowStart: ts().notNull(),
  count: integer().notNull(),
});

export const collections = pgTable(
  'collections',
  {
    id: uuid().primaryKey().defaultRandom(),
    ownerId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    description: text(),
    isPublic: boolean().notNull().default(false),
    itemCount: integer().notNull().default(0),
    coverAssetId: uuid().references(() => assets.id, { onDelete: 'set null' }),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [index('collections_owner_created_idx').on(t.ownerId, t.createdAt, t.id)],
);

export const collectionItems = pgTable(
  'collection_items',
  {
    collectionId: uuid()
      .notNull()
      .references(() => collections.id, { onDelete: 'cascade' }),
    assetId: uuid()
      .notNull()
      .references(() => assets.id, { onDelete: 'cascade' }),
    position: integer().notNull().default(0),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.collectionId, t.assetId] }), index('collection_items_asset_idx').on(t.assetId)],
);
