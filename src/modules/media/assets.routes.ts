/** /assets: uploads and the signed-in user's library; the bytes behind expiring links. */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/errors.ts';
import { ZPage } from '../../platform/http/pagination.ts';
import { bytesResponse, ZNoContent } from '../../platform/http/schemas.ts';
import type { AssetsService } from './assets.service.ts';
import * as dto from './media.dto.ts';
import { parseRange } from './range.ts';
import type { Variant } from './signing.ts';
import { readUpload } from './upload-reader.ts';
import type { ZipService } from './zip.service.ts';

const user = { auth: 'user' } as const;
const tags = ['media'];

function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export async function assetsRoutes(app: FastifyInstance, assets: AssetsService, zip: ZipService, opts: { maxUploadBytes: number; tmpDir: string }): Promise<void> {
  // Multipart lives in this plugin only; every other route keeps JSON bodies.
  await app.register(multipart, { limits: { fileSize: opts.maxUploadBytes } });
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/assets',
    {
      config: { ...user, form: dto.ZUploadForm },
      schema: {
        tags,
        summary: 'Upload an image (multipart `file`, `purpose?`, `tags?`); EXIF is stripped and a thumbnail made',
        consumes: ['multipart/form-data'],
        response: { 201: dto.ZAsset },
      },
    },
    async (request, reply) => {
      const upload = await readUpload(request, { maxBytes: opts.maxUploadBytes, tmpDir: opts.tmpDir });
      try {
        const fields = dto.ZUploadFields.safeParse(upload.fields);
        if (!fields.success) throw errors.validation(fields.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
        const asset = await assets.upload(principalOf(request).userId, { file: upload.file, filename: upload.file.filename, ...fields.data });
        return reply.code(201).send(asset);
      } finally {
        await upload.discard();
      }
    },
  );

  r.post(
    '/assets/zip',
    {
      config: user,
      schema: {
        tags,
        summary: 'A zip of your assets (by ids or a collection) with a metadata.json',
        body: dto.ZZipBody,
        response: { 200: bytesResponse('The zip, streamed', ['application/zip']) },
      },
    },
    async (request, reply) => {
      const { stream, name } = await zip.build(principalOf(request).userId, request.body);
      return reply.header('content-type', 'application/zip').header('content-disposition', contentDisposition('attachment', name)).send(stream);
    },
  );

  r.get(
    '/assets',
    { config: user, schema: { tags, summary: 'The signed-in user’s assets, newest first', querystring: dto.ZAssetListQuery, response: { 200: ZPage(dto.ZAsset) } } },
    async (request) => assets.list(principalOf(request).userId, request.query),
  );

  r.get('/assets/:id', { config: user, schema: { tags, summary: 'One asset', params: dto.ZIdParams, response: { 200: dto.ZAsset } } }, async (request) =>
    assets.get(principalOf(request).userId, request.params.id),
  );

  r.patch(
    '/assets/:id',
    { config: user, schema: { tags, summary: 'Favourite, rate, annotate, tag, publish or select an asset', params: dto.ZIdParams, body: dto.ZPatchAssetBody, response: { 200: dto.ZAsset } } },
    async (request) => assets.update(principalOf(request).userId, request.params.id, request.body),
  );

  r.delete(
    '/assets/:id',
    { config: user, schema: { tags, summary: 'Delete an asset and its files', params: dto.ZIdParams, response: { 204: ZNoContent } } },
    async (request, reply) => {
      await assets.remove(principalOf(request).userId, request.params.id);
      return reply.code(204).send(null);
    },
  );

  const bytes = (variant: Variant) =>
    async (request: { params: { id: string }; query: dto.TContentQuery; headers: { range?: string | undefined }; principal: { userId: string } | null }, reply: FastifyReply) => {
      const download = request.query.download === '1';
      const file = await assets.open(
        request.params.id,
        variant,
        { userId: request.principal?.userId, expires: request.query.expires, sig: request.query.sig },
        (size) => parseRange(request.headers.range, size),
        download,
      );
      reply
        .header('content-type', file.mimeType)
        .header('accept-ranges', 'bytes')
        .header('etag', file.etag)
        .header('cache-control', 'private, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', contentDisposition(download ? 'attachment' : 'inline', file.filename));
      if (file.range) {
        reply.code(206).header('content-range', `bytes ${file.range.start}-${file.range.end}/${file.size}`);
        reply.header('content-length', String(file.range.end - file.range.start + 1));
      } else {
        reply.header('content-length', String(file.size));
      }
      return reply.send(file.stream);
    };

  const contentSchema = (summary: string) => ({
    config: { auth: 'optional' as const },
    schema: {
      tags,
      summary,
      params: dto.ZIdParams,
      querystring: dto.ZContentQuery,
      response: { 200: bytesResponse('The whole file', ['image/*']), 206: bytesResponse('The requested byte range', ['image/*']) },
    },
  });
  r.get('/assets/:id/content', contentSchema('The image bytes (Range supported; `?download=1` counts a download)'), bytes('content'));
  r.get('/assets/:id/thumbnail', contentSchema('The WebP thumbnail (Range supported)'), bytes('thumbnail'));
}
