/** /billing/providers, /billing/packages and /billing/plans: public, what can be bought and how. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as dto from './catalogue.dto.ts';
import { paymentProviders } from './payments.tables.ts';
import type { CatalogueService } from './catalogue.service.ts';

export async function catalogueRoutes(app: FastifyInstance, catalogue: CatalogueService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['billing'];

  r.get(
    '/billing/providers',
    {
      schema: {
        tags,
        summary: 'The payment providers this server accepts at checkout',
        response: { 200: z.object({ providers: z.array(z.enum(paymentProviders)) }) },
      },
    },
    async () => catalogue.providers(),
  );

  r.get('/billing/packages', { schema: { tags, summary: 'Active credit packages', response: { 200: z.object({ data: z.array(dto.ZPackage) }) } } }, async () =>
    catalogue.packages(),
  );

  r.get(
    '/billing/plans',
    { schema: { tags, summary: 'Active plans, for users or vendors', querystring: dto.ZPlansQuery, response: { 200: z.object({ data: z.array(dto.ZPlan) }) } } },
    async (request) => catalogue.plans(request.query.audience),
  );
}
