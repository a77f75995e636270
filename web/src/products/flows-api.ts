/**
 * The calls of the product screens (headshots, style conversion, vendors), typed end to end by the
 * generated `paths` like `api.ts` (decision 080): subjects and batches, styles, the vendor profile and the public vendor page. Wire types are paths into the
 * generated client, never written by hand.
 */
import { client, idempotencyKey, unwrap } from '../api/client.ts';
import type { Body, Json } from '../api/types.ts';

export type Subject = Json<'/api/v1/subjects/{id}', 'get'>;
export type SubjectInput = Body<'/api/v1/subjects', 'post'>;
export type BatchInput = Body<'/api/v1/generation-batches', 'post'>;
export type Batch = Json<'/api/v1/generation-batches/{id}', 'get'>;
export type CatalogueStyle = Json<'/api/v1/styles', 'get'>['data'][number];
export type StyleKind = CatalogueStyle['kind'];
export type Album = Json<'/api/v1/collections/{id}', 'get'>;
export type VendorProfile = Json<'/api/v1/public/vendors/{slug}', 'get'>;
export type VendorProfileInput = Body<'/api/v1/me/vendor-profile', 'patch'>;
export type PublicAlbum = Json<'/api/v1/public/vendors/{slug}/albums', 'get'>['data'][number];
export type PublicAlbumItems = Json<'/api/v1/public/collections/{id}', 'get'>;

const id = (value: string) => ({ path: { id: value } });

export const flowsApi = {
  subjects: () => unwrap(client.GET('/api/v1/subjects')),
  subject: (subjectId: string) => unwrap(client.GET('/api/v1/subjects/{id}', { params: id(subjectId) })),
  createSubject: (body: SubjectInput) => unwrap(client.POST('/api/v1/subjects', { body, params: { header: idempotencyKey() } })),
  deleteSubject: (subjectId: string) => unwrap(client.DELETE('/api/v1/subjects/{id}', { params: id(subjectId) })),
  createBatch: (body: BatchInput) => unwrap(client.POST('/api/v1/generation-batches', { body, params: { header: idempotencyKey() } })),
  batch: (batchId: string) => unwrap(client.GET('/api/v1/generation-batches/{id}', { params: id(batchId) })),
  batchGenerations: (batchId: string) => unwrap(client.GET('/api/v1/generations', { params: { query: { batch_id: batchId, limit: 100 } } })),
  styles: (studio: string, kind: StyleKind) => unwrap(client.GET('/api/v1/styles', { params: { query: { studio, kind } } })),
  conversions: () => unwrap(client.GET('/api/v1/generations', { params: { query: { type: 'style_conversion', limit: 100 } } })),

  updateVendorProfile: (body: VendorProfileInput) => unwrap(client.PATCH('/api/v1/me/vendor-profile', { body })),

  publicVendor: (slug: string) => unwrap(client.GET('/api/v1/public/vendors/{slug}', { params: { path: { slug } } })),
  publicAlbums: (slug: string) => unwrap(client.GET('/api/v1/public/vendors/{slug}/albums', { params: { path: { slug }, query: { limit: 50 } } })),
  publicAlbum: (albumId: string) => unwrap(client.GET('/api/v1/public/collections/{id}', { params: id(albumId) })),
};
