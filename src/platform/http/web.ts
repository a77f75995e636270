/**
 * Serves the built React app (web/dist) at `/`. Unknown non-API paths get index.html so client-side
 * routes survive a reload; /api paths never do, so API 404s stay problem+json.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.ts';
import { sendProblem } from './error-handler.ts';

export async function registerWebApp(app: FastifyInstance, opts: { root: string }): Promise<boolean> {
  if (!fs.existsSync(path.join(opts.root, 'index.html'))) {
    app.log.warn({ root: opts.root }, 'web app not built; run `npm run build:web`');
    return false;
  }
  await app.register(fastifyStatic, { root: opts.root, prefix: '/', wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0]!;
    if (request.method === 'GET' && !url.startsWith('/api/') && !path.extname(url)) {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendProblem(reply, new AppError('not_found', `No route for ${request.method} ${url}.`));
  });
  return true;
}
