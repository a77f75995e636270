import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow();
const updatedAt = () => timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow();

export const userRoles = ['user', 'vendor', 'admin'] as const;
export type UserRole = (typeof userRoles)[number];

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Stored lower-cased; unique among non-null values. */
    email: text(),
    /** E.164. */
    phone: text(),
    passwordHash: text(),
    fullName: text(),
    avatarAssetId: uuid(),
    avatarUrl: text(),
    bio: text(),
    company: text(),
    locale: text(),
    role: text({ enum: userRoles }).notNull().default('user'),
    isActive: boolean().notNull().default(true),
    emailVerifiedAt: timestamp({ withTimezone: true, precision: 3 }),
    phoneVerifiedAt: timestamp({ withTimezone: true, precision: 3 }),
    lastLoginAt: timestamp({ withTimezone: true, precision: 3 }),
    /** Standard Webhooks signing secret (`whsec_…`), created on first request. */
    webhookSecret: text(),
    /** The secret before the last rotation: deliveries are signed with it too until `previousWebhookSecretUntil`. */
    previousWebhookSecret: text(),
    previousWebhookSecretUntil: timestamp({ withTimezone: true, precision: 3 }),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    uniqueIndex('users_phone_key').on(t.phone),
    index('users_role_idx').on(t.role),
    index('users_created_at_idx').on(t.createdAt),
    // Media's retention asks whether an avatar upload is still someone's avatar (decision 110).
    index('users_avatar_asset_idx').on(t.avatarAssetId).where(sql`${t.avatarAssetId} is not null`),
    check('users_email_or_phone', sql`${t.email} is not null or ${t.phone} is not null`),
    check('users_role_check', sql`${t.role} in ('user', 'vendor', 'admin')`),
  ],
);

export const vendorProfiles = pgTable(
  'vendor_profiles',
  {
    userId: uuid()
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    businessName: text().notNull(),
    slug: text().notNull(),
    profileInfo: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    contactInfo: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    socialLinks: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    isVerified: boolean().notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('vendor_profiles_slug_key').on(t.slug)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** sha256 of the refresh token currently valid for this session. */
    refreshTokenHash: text().notNull(),
    rotationCounter: integer().notNull().default(0),
    /** When the current refresh token replaced the previous one; starts the reuse grace (decision 052). */
    rotatedAt: timestamp({ withTimezone: true, precision: 3 }),
    userAgent: text(),
    ip: text(),
    lastUsedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    revokedAt: timestamp({ withTimezone: true, precision: 3 }),
    revokedReason: text(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId)],
);

export const otpChannels = ['email', 'sms'] as const;
export const otpPurposes = ['phone_verify', 'email_verify', 'password_reset', 'login'] as const;
export type OtpPurpose = (typeof otpPurposes)[number];

export const otps = pgTable(
  'otps',
  {
    id: uuid().primaryKey().defaultRandom(),
    channel: text({ enum: otpChannels }).notNull(),
    /** Lower-cased email or E.164 phone. */
    destination: text().notNull(),
    userId: uuid().references(() => users.id, { onDelete: 'cascade' }),
    /** HMAC-SHA256 of the code under the server secret: a 6-digit code is too small to hash plainly. */
    codeHash: text().notNull(),
    purpose: text({ enum: otpPurposes }).notNull(),
    expiresAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    consumedAt: timestamp({ withTimezone: true, precision: 3 }),
    attemptCount: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index('otps_destination_purpose_idx').on(t.destination, t.purpose, t.createdAt),
    // The per-account daily send cap counts by user.
    index('otps_user_created_idx').on(t.userId, t.createdAt),
    check('otps_purpose_check', sql`${t.purpose} in ('phone_verify', 'email_verify', 'password_reset', 'login')`),
    check('otps_channel_check', sql`${t.channel} in ('email', 'sms')`),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    /** Public part of the key, shown in lists and used to find the row. */
    prefix: text().notNull(),
    keyHash: text().notNull(),
    lastUsedAt: timestamp({ withTimezone: true, precision: 3 }),
    revokedAt: timestamp({ withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('api_keys_prefix_key').on(t.prefix), index('api_keys_user_id_idx').on(t.userId)],
);

export const oauthProviders = ['google', 'github'] as const;
export type OAuthProvider = (typeof oauthProviders)[number];

/**
 * Sign-in through an outside identity provider (Google, GitHub); the seeds' `auth_provider` /
 * `auth_provider_id`, one row per provider so a user may link several. Found by the provider's own
 * stable id, never by email.
 */
export const authIdentities = pgTable(
  'auth_identities',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    provider: text({ enum: oauthProviders }).notNull(),
    /** The provider's id of the account: OIDC `sub`, GitHub's numeric user id. */
    providerUserId: text().notNull(),
    /** The email the provider gave at the last sign-in, and whether it said it was verified. */
    email: text(),
    emailVerified: boolean().notNull().default(false),
    lastLoginAt: timestamp({ withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('auth_identities_provider_key').on(t.provider, t.providerUserId),
    index('auth_identities_user_id_idx').on(t.userId),
    uniqueIndex('auth_identities_user_provider_key').on(t.userId, t.provider),
  ],
);

/**
 * What a user chose about mail and the app (GET/PATCH /me/preferences). A user without a row has the
 * defaults: marketing mail is opt-in, notifications are on. The locale lives in `users.locale`.
 */
export const userPreferences = pgTable('user_preferences', {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  defaultProvider: text(),
  defaultModel: text(),
  favoriteTemplates: jsonb().$type<string[]>().notNull().default([]),
  ui: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  marketingEmails: boolean().notNull().default(false),
  defaultStudio: text(),
  notifyGenerationCompleted: boolean().notNull().default(true),
  notifyLowBalance: boolean().notNull().default(true),
  /** When marketing mail was last turned off, by the user or by an unsubscribe link. */
  marketingOptedOutAt: timestamp({ withTimezone: true, precision: 3 }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Failure budgets of guessable secrets (decision 091): one row per password-login identifier or
 * one-time-code destination, keyed by an HMAC of it so the table holds no address in clear.
 */
export const authFailures = pgTable('auth_failures', {
  key: text().primaryKey(),
  /** Attempts since the last success (or since the budget was forgotten). */
  failures: integer().notNull(),
  lastFailedAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
  /** No attempt is checked before this. */
  blockedUntil: timestamp({ withTimezone: true, precision: 3 }),
});

/**
 * An OAuth sign-in under way: the state, PKCE verifier and nonce stay here, never in the browser.
 * Deleted when the callback uses it (once) or when it expires (10 minutes).
 */
export const oauthLoginStates = pgTable(
  'oauth_login_states',
  {
    /** sha256 of the `state` sent to the provider (also the browser's binding cookie). */
    stateHash: text().primaryKey(),
    provider: text({ enum: oauthProviders }).notNull(),
    codeVerifier: text().notNull(),
    nonce: text(),
    returnPath: text().notNull(),
    expiresAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('oauth_login_states_expires_at_idx').on(t.expiresAt)],
);
