/**
 * What this process keeps in memory from the database (account views, decision 106) must not be
 * older than a change a request made, once that request has answered:
 * - changes announced on commit reach this process's listener a moment after the commit on
 *   PostgreSQL, so requests that may have written send their answer only once everything committed
 *   before it has been heard (`Listening.heard()`: one marker notification round trip; nothing on
 *   PGlite, which announces before the committing statement returns). Reads (GET, HEAD, OPTIONS) do
 *   not wait, except a GET route marked `writes` (a provider's callback);
 * - balance changes are not announced; the ledger notes the accounts it wrote in the request's
 *   scope (platform/written-accounts.ts), and they are forgotten here before the answer leaves.
 */
import type { FastifyInstance } from 'fastify';
import type { Listening } from '../db/notifications.ts';
import { collectWrittenAccounts, writtenAccounts } from '../written-accounts.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A GET that writes (a payment or sign-in callback): its answer waits as a POST's does. */
    writes?: boolean;
  }
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function answerAfterChangesHeard(app: FastifyInstance, listening: Pick<Listening, 'heard'>, forgetAccount: (userId: string) => void): void {
  app.addHook('onRequest', (_request, _reply, done) => collectWrittenAccounts(done));
  app.addHook('onSend', async (request, _reply, payload) => {
    for (const userId of writtenAccounts()) forgetAccount(userId);
    if (!READS.has(request.method) || request.routeOptions.config?.writes) await listening.heard();
    return payload;
  });
}
