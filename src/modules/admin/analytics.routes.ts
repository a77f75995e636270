/** GET /admin/analytics/overview, /revenue, /usage, /product-costs, /credits (role admin; decision 063). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as dto from './analytics.dto.ts';
import type { AnalyticsService } from './analytics.service.ts';

const admin = { auth: 'admin' } as const;

export async function adminAnalyticsRoutes(app: FastifyInstance, analytics: AnalyticsService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['admin'];

  r.get(
    '/admin/analytics/overview',
    { config: admin, schema: { tags, summary: 'Users, revenue, credits, generations and provider cost of the last 7 and 30 days', response: { 200: dto.ZOverview } } },
    async () => analytics.overview(),
  );
  r.get(
    '/admin/analytics/revenue',
    { config: admin, schema: { tags, summary: 'Payments and refunds per period, currency and provider', querystring: dto.ZSeriesQuery, response: { 200: dto.ZRevenue } } },
    async (request) => analytics.revenue(request.query),
  );
  r.get(
    '/admin/analytics/usage',
    { config: admin, schema: { tags, summary: 'Generations, outputs, credits and active users per period, studio and type', querystring: dto.ZSeriesQuery, response: { 200: dto.ZUsage } } },
    async (request) => analytics.usage(request.query),
  );
  r.get(
    '/admin/analytics/product-costs',
    { config: admin, schema: { tags, summary: 'Generations, credits and provider cost per catalog product', querystring: dto.ZRangeQuery, response: { 200: dto.ZProductCosts } } },
    async (request) => analytics.productCosts(request.query),
  );
  r.get(
    '/admin/analytics/credits',
    { config: admin, schema: { tags, summary: 'Credits granted, purchased, spent, refunded and expired per period', querystring: dto.ZSeriesQuery, response: { 200: dto.ZCredits } } },
    async (request) => analytics.credits(request.query),
  );
}
