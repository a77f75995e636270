/**
 * The admin console's calls, each typed by the generated `paths` like the rest of the app (decision
 * 080): a path, query, body or answer that does not match the server's OpenAPI document does not
 * compile. Lists the server pages by keyset answer `{ data, next_cursor }`; the ones it does not page
 * are given the same shape (`next_cursor: null`), so every admin list renders one way.
 */
import { client, unwrap } from '../api/client.ts';
import type { Body, Json, paths } from '../api/types.ts';

type Query<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;

/** A page of any admin list: its rows and the cursor of the next page (null on the last). */
export type Page<T> = Omit<Json<'/api/v1/admin/users', 'get'>, 'data'> & { data: T[] };
const whole = async <T,>(call: Promise<{ data: T[] }>): Promise<Page<T>> => ({ data: (await call).data, next_cursor: null });
const byId = (id: string) => ({ path: { id } });

export type UserQuery = Query<'/api/v1/admin/users'>;
export type AdminUserRow = Json<'/api/v1/admin/users', 'get'>['data'][number];
export type AdminUser = Json<'/api/v1/admin/users/{id}', 'get'>;
export type UserPatch = Body<'/api/v1/admin/users/{id}', 'patch'>;
export type ActivityRow = Json<'/api/v1/admin/users/{id}/activity', 'get'>['data'][number];
export type CreditGrant = Body<'/api/v1/admin/users/{id}/credits', 'post'>;
export type PaymentQuery = Query<'/api/v1/admin/payments'>;
export type RefundInput = Body<'/api/v1/admin/payments/{id}/refund', 'post'>;
export type RefundResult = Json<'/api/v1/admin/payments/{id}/refund', 'post'>;
export type AdminPayment = Json<'/api/v1/admin/payments', 'get'>['data'][number];
export type GenerationQuery = Query<'/api/v1/admin/generations'>;
export type AdminGeneration = Json<'/api/v1/admin/generations', 'get'>['data'][number];
export type AuditQuery = Query<'/api/v1/admin/audit-logs'>;
export type AuditRow = Json<'/api/v1/admin/audit-logs', 'get'>['data'][number];
export type EmailTemplate = Json<'/api/v1/admin/email-templates/{id}', 'get'>;
export type EmailTemplatePatch = Body<'/api/v1/admin/email-templates/{id}', 'patch'>;
export type EmailPreview = Json<'/api/v1/admin/email-templates/{id}/preview', 'post'>;
export type Campaign = Json<'/api/v1/admin/email-campaigns/{id}', 'get'>;
export type CampaignInput = Body<'/api/v1/admin/email-campaigns', 'post'>;
export type EmailLogQuery = Query<'/api/v1/admin/email-logs'>;
export type EmailLog = Json<'/api/v1/admin/email-logs', 'get'>['data'][number];
export type SystemStatus = Json<'/api/v1/admin/system', 'get'>;
export type SystemMetric = Json<'/api/v1/admin/system/metrics', 'get'>['data'][number];
export type Period = Query<'/api/v1/admin/analytics/revenue'>;
export type Overview = Json<'/api/v1/admin/analytics/overview', 'get'>;
export type RevenueRow = Json<'/api/v1/admin/analytics/revenue', 'get'>['data'][number];
export type UsageRow = Json<'/api/v1/admin/analytics/usage', 'get'>['data'][number];
export type CreditsRow = Json<'/api/v1/admin/analytics/credits', 'get'>['data'][number];
export type ProductCostRow = Json<'/api/v1/admin/analytics/product-costs', 'get'>['data'][number];

/** The generation types, as the admin API names them (filters, prices, provider costs). */
export const GENERATION_TYPES = [
  'model_shot',
  'lifestyle',
  'room_scene',
  'upscale',
  'background_removal',
  'vectorize',
  'generate',
  'subject_training',
  'headshot',
  'style_conversion',
  'ad_creative',
] as const satisfies readonly NonNullable<GenerationQuery['type']>[];

export type TemplateMetric = Json<'/api/v1/admin/templates/{id}/metrics', 'get'>['data'][number];
export type TemplateMetricInput = Body<'/api/v1/admin/templates/{id}/metrics', 'post'>;

export const adminApi = {
  /** A template's recorded performance, an inactive template's too. */
  templateMetrics: (id: string) => unwrap(client.GET('/api/v1/admin/templates/{id}/metrics', { params: byId(id) })),
  recordTemplateMetric: (id: string, body: TemplateMetricInput) => unwrap(client.POST('/api/v1/admin/templates/{id}/metrics', { params: byId(id), body })),
  correctTemplateMetric: (id: string, metricId: string, body: Body<'/api/v1/admin/templates/{id}/metrics/{metric_id}', 'patch'>) =>
    unwrap(client.PATCH('/api/v1/admin/templates/{id}/metrics/{metric_id}', { params: { path: { id, metric_id: metricId } }, body })),
  users: (query: UserQuery) => unwrap(client.GET('/api/v1/admin/users', { params: { query } })),
  user: (id: string) => unwrap(client.GET('/api/v1/admin/users/{id}', { params: byId(id) })),
  patchUser: (id: string, body: UserPatch) => unwrap(client.PATCH('/api/v1/admin/users/{id}', { params: byId(id), body })),
  activity: (id: string, cursor?: string) =>
    unwrap(client.GET('/api/v1/admin/users/{id}/activity', { params: { path: { id }, query: cursor ? { cursor } : {} } })),
  grantCredits: (id: string, body: CreditGrant) => unwrap(client.POST('/api/v1/admin/users/{id}/credits', { params: byId(id), body })),

  payments: (query: PaymentQuery) => unwrap(client.GET('/api/v1/admin/payments', { params: { query } })),
  refundPayment: (id: string, body: RefundInput) => unwrap(client.POST('/api/v1/admin/payments/{id}/refund', { params: byId(id), body })),
  generations: (query: GenerationQuery) => unwrap(client.GET('/api/v1/admin/generations', { params: { query } })),
  retryGeneration: (id: string) => unwrap(client.POST('/api/v1/admin/generations/{id}/retry', { params: byId(id) })),
  auditLogs: (query: AuditQuery) => unwrap(client.GET('/api/v1/admin/audit-logs', { params: { query } })),

  emailTemplates: (cursor?: string) => unwrap(client.GET('/api/v1/admin/email-templates', { params: { query: cursor ? { cursor } : {} } })),
  emailTemplate: (id: string) => unwrap(client.GET('/api/v1/admin/email-templates/{id}', { params: byId(id) })),
  patchEmailTemplate: (id: string, body: EmailTemplatePatch) =>
    unwrap(client.PATCH('/api/v1/admin/email-templates/{id}', { params: byId(id), body })),
  previewEmailTemplate: (id: string, variables: Record<string, string>) =>
    unwrap(client.POST('/api/v1/admin/email-templates/{id}/preview', { params: byId(id), body: { variables } })),
  campaigns: (cursor?: string) => unwrap(client.GET('/api/v1/admin/email-campaigns', { params: { query: cursor ? { cursor } : {} } })),
  createCampaign: (body: CampaignInput) => unwrap(client.POST('/api/v1/admin/email-campaigns', { body })),
  sendCampaign: (id: string) => unwrap(client.POST('/api/v1/admin/email-campaigns/{id}/send', { params: byId(id) })),
  cancelCampaign: (id: string) => unwrap(client.PATCH('/api/v1/admin/email-campaigns/{id}', { params: byId(id), body: { status: 'cancelled' } })),
  emailLogs: (query: EmailLogQuery) => unwrap(client.GET('/api/v1/admin/email-logs', { params: { query } })),

  system: () => unwrap(client.GET('/api/v1/admin/system')),
  systemMetrics: (query: Query<'/api/v1/admin/system/metrics'>) => unwrap(client.GET('/api/v1/admin/system/metrics', { params: { query } })),

  overview: () => unwrap(client.GET('/api/v1/admin/analytics/overview')),
  revenue: (query: Period) => unwrap(client.GET('/api/v1/admin/analytics/revenue', { params: { query } })),
  usage: (query: Period) => unwrap(client.GET('/api/v1/admin/analytics/usage', { params: { query } })),
  credits: (query: Period) => unwrap(client.GET('/api/v1/admin/analytics/credits', { params: { query } })),
  productCosts: (query: Omit<Period, 'interval'>) => unwrap(client.GET('/api/v1/admin/analytics/product-costs', { params: { query } })),
};

/** The catalogue: one list, create, change and delete per kind, where the server offers each. */
export const catalogueApi = {
  packages: {
    list: () => whole(unwrap(client.GET('/api/v1/admin/packages'))),
    create: (body: Body<'/api/v1/admin/packages', 'post'>) => unwrap(client.POST('/api/v1/admin/packages', { body })),
    update: (id: string, body: Body<'/api/v1/admin/packages/{id}', 'patch'>) => unwrap(client.PATCH('/api/v1/admin/packages/{id}', { params: byId(id), body })),
  },
  plans: {
    list: () => whole(unwrap(client.GET('/api/v1/admin/plans'))),
    create: (body: Body<'/api/v1/admin/plans', 'post'>) => unwrap(client.POST('/api/v1/admin/plans', { body })),
    update: (id: string, body: Body<'/api/v1/admin/plans/{id}', 'patch'>) => unwrap(client.PATCH('/api/v1/admin/plans/{id}', { params: byId(id), body })),
  },
  coupons: {
    list: () => whole(unwrap(client.GET('/api/v1/admin/coupons'))),
    create: (body: Body<'/api/v1/admin/coupons', 'post'>) => unwrap(client.POST('/api/v1/admin/coupons', { body })),
    update: (id: string, body: Body<'/api/v1/admin/coupons/{id}', 'patch'>) => unwrap(client.PATCH('/api/v1/admin/coupons/{id}', { params: byId(id), body })),
  },
  giftCards: {
    list: (cursor?: string) => unwrap(client.GET('/api/v1/admin/gift-cards', { params: { query: cursor ? { cursor } : {} } })),
    create: (body: Body<'/api/v1/admin/gift-cards', 'post'>) => unwrap(client.POST('/api/v1/admin/gift-cards', { body })),
    update: (id: string, body: Body<'/api/v1/admin/gift-cards/{id}', 'patch'>) =>
      unwrap(client.PATCH('/api/v1/admin/gift-cards/{id}', { params: byId(id), body })),
    remove: (id: string) => unwrap(client.DELETE('/api/v1/admin/gift-cards/{id}', { params: byId(id) })),
  },
  templates: {
    list: () => whole(unwrap(client.GET('/api/v1/admin/templates'))),
    create: (body: Body<'/api/v1/admin/templates', 'post'>) => unwrap(client.POST('/api/v1/admin/templates', { body })),
    update: (id: string, body: Body<'/api/v1/admin/templates/{id}', 'patch'>) => unwrap(client.PATCH('/api/v1/admin/templates/{id}', { params: byId(id), body })),
    remove: (id: string) => unwrap(client.DELETE('/api/v1/admin/templates/{id}', { params: byId(id) })),
  },
  categories: {
    list: () => whole(unwrap(client.GET('/api/v1/admin/categories'))),
    create: (body: Body<'/api/v1/admin/categories', 'post'>) => unwrap(client.POST('/api/v1/admin/categories', { body })),
    update: (id: string, body: Body<'/api/v1/admin/categories/{id}', 'patch'>) =>
      unwrap(client.PATCH('/api/v1/admin/categories/{id}', { params: byId(id), body })),
    remove: (id: string) => unwrap(client.DELETE('/api/v1/admin/categories/{id}', { params: byId(id) })),
  },
  styles: {
    list: () => whole(unwrap(client.GET('/api/v1/admin/styles'))),
    create: (body: Body<'/api/v1/admin/styles', 'post'>) => unwrap(client.POST('/api/v1/admin/styles', { body })),
    update: (id: string, body: Body<'/api/v1/admin/styles/{id}', 'patch'>) => unwrap(client.PATCH('/api/v1/admin/styles/{id}', { params: byId(id), body })),
    remove: (id: string) => unwrap(client.DELETE('/api/v1/admin/styles/{id}', { params: byId(id) })),
  },
  prices: {
    list: () => whole(unwrap(client.GET('/api/v1/admin/generation-prices'))),
    create: (body: Body<'/api/v1/admin/generation-prices', 'post'>) => unwrap(client.POST('/api/v1/admin/generation-prices', { body })),
    update: (id: string, body: Body<'/api/v1/admin/generation-prices/{id}', 'patch'>) =>
      unwrap(client.PATCH('/api/v1/admin/generation-prices/{id}', { params: byId(id), body })),
    remove: (id: string) => unwrap(client.DELETE('/api/v1/admin/generation-prices/{id}', { params: byId(id) })),
  },
  apiCosts: {
    list: () => whole(unwrap(client.GET('/api/v1/admin/api-costs'))),
    create: (body: Body<'/api/v1/admin/api-costs', 'post'>) => unwrap(client.POST('/api/v1/admin/api-costs', { body })),
    update: (id: string, body: Body<'/api/v1/admin/api-costs/{id}', 'patch'>) => unwrap(client.PATCH('/api/v1/admin/api-costs/{id}', { params: byId(id), body })),
    remove: (id: string) => unwrap(client.DELETE('/api/v1/admin/api-costs/{id}', { params: byId(id) })),
  },
};
