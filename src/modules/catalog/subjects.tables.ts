/**
 * Headshot subjects (seed 002 `models`): a person trained from 1–5 of the owner's photos. The
 * training is a `subject_training` generation (`training_generation_id`); when it completes, the
 * provider's artifacts (trained model id, trigger word) are copied here and the subject is `ready`.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.tables.ts';
import { assets } from '../media/media.tables.ts';

const ts = () => timestamp({ withTimezone: true, precision: 3 });

export const subjectStatuses = ['pending', 'training', 'ready', 'failed'] as const;
export type SubjectStatus = (typeof subjectStatuses)[number];
export const subjectGenders = ['male', 'female'] as const;

export const subjects = pgTable(
  'subjects',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    gender: text({ enum: subjectGenders }).notNull(),
    status: text({ enum: subjectStatuses }).notNull().default('pending'),
    /** The first photo until training gives a preview of its own. */
    previewAssetId: uuid().references(() => assets.id, { onDelete: 'set null' }),
    trainingCredits: integer().notNull().default(0),
    imagesCount: integer().notNull().default(0),
    /** The subject_training generation; not an FK so that deleting either leaves the other. */
    trainingGenerationId: uuid(),
    /** What the provider returned (decision 018): trained_model, trigger_word, provider, ids. */
    artifacts: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    errorCode: text(),
    errorMessage: text(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [
    index('subjects_user_created_idx').on(t.userId, t.createdAt, t.id),
    index('subjects_training_generation_idx').on(t.trainingGenerationId),
    check('subjects_status_check', sql`${t.status} in ('pending', 'training', 'ready', 'failed')`),
    check('subjects_gender_check', sql`${t.gender} in ('male', 'female')`),
  ],
);

/** The training photos, in the order given. */
export const subjectImages = pgTable(
  'subject_images',
  {
    subjectId: uuid()
      .notNull()
      .references(() => subjects.id, { onDelete: 'cascade' }),
    assetId: uuid()
      .notNull()
      .references(() => assets.id, { onDelete: 'cascade' }),
    position: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.subjectId, t.position] }),
    // Deleting an asset cascades here, and media's retention asks whether a photo is in use.
    index('subject_images_asset_idx').on(t.assetId),
    check('subject_images_position_range', sql`${t.position} between 0 and 4`),
  ],
);
