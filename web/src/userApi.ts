/**
 * The calls of the gallery, billing, account and sign-in screens beyond the first ones in `api.ts`:
 * collections, bulk download, payments, coupons, gift cards, subscriptions, the account's security
 * (password, sessions, API keys, webhook secret), preferences, one-time code sign-in and password
 * reset. Typed end to end by the generated `paths` like the rest (decision 080).
 */
import { api } from './api.ts';
import { client, unwrap } from './api/client.ts';
import type { Body, Json } from './api/types.ts';

export type Collection = Json<'/api/v1/collections', 'get'>['data'][number];
export type CollectionInput = Body<'/api/v1/collections', 'post'>;
export type PaymentRow = Json<'/api/v1/billing/payments', 'get'>['data'][number];
export type CouponCheck = Json<'/api/v1/billing/coupons/validate', 'post'>;
export type CouponCheckInput = Body<'/api/v1/billing/coupons/validate', 'post'>;
export type SessionRow = Json<'/api/v1/me/sessions', 'get'>['data'][number];
export type ApiKeyRow = Json<'/api/v1/me/api-keys', 'get'>['data'][number];
export type NewApiKey = Json<'/api/v1/me/api-keys', 'post', 201>;
export type Preferences = Json<'/api/v1/me/preferences', 'get'>;
export type PreferencesPatch = Body<'/api/v1/me/preferences', 'patch'>;
export type ProfilePatch = Body<'/api/v1/me', 'patch'>;
export type Profile = Json<'/api/v1/me', 'patch'>;
export type PasswordResetInput = Body<'/api/v1/auth/password/reset', 'post'>;
export type GenerationReview = Body<'/api/v1/generations/{id}', 'patch'>;

const id = (value: string) => ({ path: { id: value } });

/** The most assets one add-to-album request takes (the server's `asset_ids` limit). */
export const ITEMS_PER_ADD = 100;

export const userApi = {
  collections: () => unwrap(client.GET('/api/v1/collections', { params: { query: { limit: 100 } } })),
  createCollection: (body: CollectionInput) => unwrap(client.POST('/api/v1/collections', { body })),
  deleteCollection: (collectionId: string) => unwrap(client.DELETE('/api/v1/collections/{id}', { params: id(collectionId) })),
  addToCollection: (collectionId: string, assetId: string) =>
    unwrap(client.POST('/api/v1/collections/{id}/items', { params: id(collectionId), body: { asset_id: assetId } })),
  /**
   * Adds up to 100 assets in one request, all or nothing; those already in the album are skipped and
   * left out of `added_asset_ids` (decision 105).
   */
  addManyToCollection: (collectionId: string, assetIds: string[]) =>
    unwrap(client.POST('/api/v1/collections/{id}/items', { params: id(collectionId), body: { asset_ids: assetIds } })),
  removeFromCollection: (collectionId: string, assetId: string) =>
    unwrap(client.DELETE('/api/v1/collections/{id}/items/{asset_id}', { params: { path: { id: collectionId, asset_id: assetId } } })),
  /** The owner's favourite, rating (1–5) and notes on a generation. */
  reviewGeneration: (generationId: string, body: GenerationReview) => unwrap(client.PATCH('/api/v1/generations/{id}', { params: id(generationId), body })),
  /** One page of the gallery: everything, the favourites or one album, after `cursor`. */
  assetPage: (filter: { favorite?: boolean; collection_id?: string }, cursor: string | null) =>
    unwrap(
      client.GET('/api/v1/assets', {
        params: {
          query: {
            limit: 60,
            ...(filter.favorite ? { favorite: 'true' as const } : {}),
            ...(filter.collection_id ? { collection_id: filter.collection_id } : {}),
            ...(cursor ? { cursor } : {}),
          },
        },
      }),
    ),
  /** Every image of one collection (up to 100), for the screens that show an album whole. */
  collectionAssets: (collectionId: string) => unwrap(client.GET('/api/v1/assets', { params: { query: { collection_id: collectionId, limit: 100 } } })),
  /** The zip of the chosen images (or of a collection), as a file the browser can save. */
  zip: (body: Body<'/api/v1/assets/zip', 'post'>) => unwrap(client.POST('/api/v1/assets/zip', { body, parseAs: 'blob' })) as Promise<Blob>,

  payments: () => unwrap(client.GET('/api/v1/billing/payments', { params: { query: { limit: 20 } } })),
  validateCoupon: (body: CouponCheckInput) => unwrap(client.POST('/api/v1/billing/coupons/validate', { body })),
  cancelSubscription: () => unwrap(client.POST('/api/v1/billing/subscription/cancel')),

  updateProfile: (body: ProfilePatch) => unwrap(client.PATCH('/api/v1/me', { body })),
  uploadAvatar: (file: File) => api.upload(file, 'avatar'),
  changePassword: (body: Body<'/api/v1/me/password', 'post'>) => unwrap(client.POST('/api/v1/me/password', { body })),
  sessions: () => unwrap(client.GET('/api/v1/me/sessions', { params: { query: { limit: 100 } } })),
  revokeSession: (sessionId: string) => unwrap(client.DELETE('/api/v1/me/sessions/{id}', { params: id(sessionId) })),
  apiKeys: () => unwrap(client.GET('/api/v1/me/api-keys', { params: { query: { limit: 100 } } })),
  createApiKey: (name: string) => unwrap(client.POST('/api/v1/me/api-keys', { body: { name } })),
  revokeApiKey: (keyId: string) => unwrap(client.DELETE('/api/v1/me/api-keys/{id}', { params: id(keyId) })),
  webhookSecret: () => unwrap(client.GET('/api/v1/me/webhook-secret')),
  preferences: () => unwrap(client.GET('/api/v1/me/preferences')),
  updatePreferences: (body: PreferencesPatch) => unwrap(client.PATCH('/api/v1/me/preferences', { body })),

  resetPassword: (body: PasswordResetInput) => unwrap(client.POST('/api/v1/auth/password/reset', { body })),
};

/** Saves a file the page holds (a zip made on request) under `name`, through the browser's own download. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

