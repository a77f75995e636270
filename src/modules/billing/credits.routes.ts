/** /credits/*: the signed-in user's balance and ledger. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../platform/http/auth.ts';
import { ZPage } from '../../platform/http/pagination.ts';
import * as dto from './credits.dto.ts';
import type { CreditsService } from './credits.service.ts';

const user = { auth: 'user' } as const;

export async function creditsRoutes(app: FastifyInstance, credits: CreditsService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['credits'];

  r.get('/credits', { config: user, schema: { tags, summary: 'Credit balance and what expires when', response: { 200: dto.ZCredits } } }, async (request) =>
    credits.summary(principalOf(request).userId),
  );

  r.get(
    '/credits/transactions',
    {
      config: user,
      schema: { tags, summary: 'The credit ledger, newest first', querystring: dto.ZTransactionsQuery, response: { 200: ZPage(dto.ZCreditTransaction) } },
    },
    async (request) => credits.transactions(principalOf(request).userId, request.query),
  );
}
