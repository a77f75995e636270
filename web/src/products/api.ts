/**
 * The calls and wire types of the product screens (catalog, print prep, ad creatives): products,
 * templates with their categories and metrics, each typed end to end by the generated `paths` like
 * `api.ts` (decision 080). Kept beside the screens that use them, so the entry chunk does not carry
 * them; collections and their zip are the gallery's calls (`userApi.ts`).
 */
import { client, unwrap } from '../api/client.ts';
import type { Body, Json } from '../api/types.ts';

export type Product = Json<'/api/v1/products/{id}', 'get'>;
export type ProductInput = Body<'/api/v1/products', 'post'>;
export type Template = Json<'/api/v1/templates', 'get'>['data'][number];
export type Category = Json<'/api/v1/categories', 'get'>['data'][number];
export type TemplateMetric = Json<'/api/v1/templates/{id}/metrics', 'get'>['data'][number];
export type CatalogStyle = Json<'/api/v1/styles', 'get'>['data'][number];

const id = (value: string) => ({ path: { id: value } });

export const productsApi = {
  products: (query: { q?: string; tag?: string }) => unwrap(client.GET('/api/v1/products', { params: { query: { limit: 100, ...query } } })),
  product: (productId: string) => unwrap(client.GET('/api/v1/products/{id}', { params: id(productId) })),
  createProduct: (body: ProductInput) => unwrap(client.POST('/api/v1/products', { body })),
  updateProduct: (productId: string, body: ProductInput) => unwrap(client.PATCH('/api/v1/products/{id}', { params: id(productId), body })),
  deleteProduct: (productId: string) => unwrap(client.DELETE('/api/v1/products/{id}', { params: id(productId) })),
  productGenerations: (productId: string) => unwrap(client.GET('/api/v1/generations', { params: { query: { product_id: productId, limit: 20 } } })),
  generationsOfType: (type: 'ad_creative') => unwrap(client.GET('/api/v1/generations', { params: { query: { type, limit: 20 } } })),
  scenes: () => unwrap(client.GET('/api/v1/styles', { params: { query: { studio: 'product-shots', kind: 'scene' } } })),

  templates: (category?: string) => unwrap(client.GET('/api/v1/templates', { params: { query: category ? { category } : {} } })),
  categories: () => unwrap(client.GET('/api/v1/categories')),
  templateMetrics: (templateId: string) => unwrap(client.GET('/api/v1/templates/{id}/metrics', { params: id(templateId) })),
};

/** Keys of the product screens' queries. */
export const productKeys = {
  products: (q: string, tag: string) => ['products', { q, tag }] as const,
  product: (productId: string) => ['product', productId] as const,
  productGenerations: (productId: string) => ['generations', { product: productId }] as const,
  generationsOfType: (type: string) => ['generations', { type }] as const,
  scenes: ['styles', 'product-shots', 'scene'] as const,
  templates: (category: string) => ['templates', { category }] as const,
  categories: ['categories'] as const,
  metrics: (templateId: string) => ['template-metrics', templateId] as const,
  collections: ['collections'] as const,
};

