/** DELETE /me, POST /me/export, GET /me/exports/{id} and the export's signed download. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../platform/http/auth.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { bytesResponse } from '../../platform/http/schemas.ts';
import * as dto from './privacy.dto.ts';
import type { ErasureService } from './erasure.service.ts';
import type { ExportService } from './export.service.ts';

const tags = ['me'];

export async function privacyRoutes(app: FastifyInstance, services: { exports: ExportService; erasure: ErasureService }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.delete(
    '/me',
    {
      config: { auth: 'user', ...rateLimit({ max: 5, timeWindow: '1 minute' }) },
      schema: {
        tags,
        summary: 'Erase the account: personal data and files are deleted, ledger rows kept anonymised',
        body: dto.ZEraseBody,
        response: { 202: dto.ZErasureAccepted },
      },
    },
    async (request, reply) => {
      await services.erasure.erase(principalOf(request).userId, request.body.password);
      return reply.code(202).send({ status: 'erasing' as const });
    },
  );

  r.post(
    '/me/export',
    {
      config: { auth: 'user', ...rateLimit({ max: 10, timeWindow: '1 hour' }) },
      schema: { tags, summary: 'Ask for a zip of every row and file of the account (one at a time)', response: { 202: dto.ZExport } },
    },
    async (request, reply) => reply.code(202).send(await services.exports.request(principalOf(request).userId)),
  );

  r.get(
    '/me/exports/:id',
    { config: { auth: 'user' }, schema: { tags, summary: 'An export; `download_url` once it is completed', params: dto.ZExportIdParams, response: { 200: dto.ZExport } } },
    async (request) => services.exports.get(principalOf(request).userId, request.params.id),
  );

  r.get(
    '/me/exports/:id/download',
    {
      schema: {
        tags,
        summary: 'The export zip behind a signed, expiring link',
        params: dto.ZExportIdParams,
        querystring: dto.ZDownloadQuery,
        response: { 200: bytesResponse('The zip', ['application/zip']) },
      },
    },
    async (request, reply) => {
      const file = await services.exports.download(request.params.id, request.query);
      return reply
        .type('application/zip')
        .header('content-length', String(file.size))
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .send(file.stream);
    },
  );
}
