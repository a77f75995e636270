/**
 * What this process keeps in memory from the database (account views, decision 106) is forgotten
 * when it hears a change announced on commit. On PostgreSQL that notice reaches the listening
 * connection a moment after the commit, so a client could read the old state from this very
 * process right after the request that changed it returned. Requests that may have written
 * therefore send their answer only once everything committed before it has been heard
 * (`Listening.heard()`: one marker notification round trip on PostgreSQL; nothing on PGlite,
 * which announces before the committing statement returns). Reads (GET, HEAD, OPTIONS) do not wait,
 * except a GET route marked `writes` (a provider's callback).
 */
import type { FastifyInstance } from 'fastify';
import type { Listening } from '../db/notifications.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A GET that writes (a payment or sign-in callback): its answer waits as a POST's does. */
    writes?: boolean;
  }
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function answerAfterChangesHeard(app: FastifyInstance, listening: Pick<Listening, 'heard'>): void {
  app.addHook('onSend', async (request, _reply, payload) => {
    if (!READS.has(request.method) || request.routeOptions.config?.writes) await listening.heard();
    return payload;
  });
}
