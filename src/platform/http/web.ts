/**
 * Serves the built React app (web/dist) at `/`. Unknown non-API paths get index.html so client-side
 * routes survive a reload; /api paths never do, so API 404s stay problem+json.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendNotFound } from './error-handler.ts';

export const isWebAppBuilt = (root: string): boolean => fs.existsSync(path.join(root, 'index.html'));

export async function registerWebApp(app: FastifyInstance, opts: { root: string }): Promise<void> {
  await app.register(fastifyStatic, { root: opts.root, prefix: '/', wildcard: false, index: ['index.html'] });
}

/** The not-found handler when the web app is served. */
export function spaFallback(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const url = request.url.split('?')[0]!;
  if (request.method === 'GET' && !url.startsWith('/api/') && !path.extname(url)) {
    return reply.type('text/html').sendFile('index.html');
  }
  return sendNotFound(request, reply);
}
