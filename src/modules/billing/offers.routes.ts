/** /billing/providers, /billing/packages and /billing/plans: public, what can be bought and how. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as dto from './offers.dto.ts';
import { paymentProviders } from './payments.tables.ts';
import type { OffersService } from './offers.service.ts';

export async function offersRoutes(app: FastifyInstance, offers: OffersService): Promise<void> {
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
    async () => offers.providers(),
  );

  r.get('/billing/packages', { schema: { tags, summary: 'Active credit packages', response: { 200: z.object({ data: z.array(dto.ZPackage) }) } } }, async () =>
    offers.packages(),
  );

  r.get(
    '/billing/plans',
    { schema: { tags, summary: 'Active plans, for users or vendors', querystring: dto.ZPlansQuery, response: { 200: z.object({ data: z.array(dto.ZPlan) }) } } },
    async (request) => offers.plans(request.query.audience),
  );
}
