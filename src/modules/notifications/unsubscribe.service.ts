/**
 * One-click unsubscribe (RFC 8058) without signing in: the token names a campaign message's log row
 * and is signed with the server secret. POST turns marketing mail off for the address's user and
 * marks the message as the one used; GET only says what POST would do, because mail scanners fetch
 * links. A token that is not ours is a 400 and changes nothing.
 */
import { optOutOfMarketing } from '../accounts/index.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import { errors } from '../../platform/http/errors.ts';
import { findUserIdByEmail } from './campaigns.queries.ts';
import { findEmailLog, markUnsubscribed, type EmailLogRow } from './email-logs.queries.ts';
import { verifyUnsubscribeToken } from './unsubscribe-token.ts';

export function createUnsubscribeService(deps: { db: Db; clock: Clock; secret: string }) {
  async function messageOf(token: string): Promise<EmailLogRow> {
    const logId = verifyUnsubscribeToken(deps.secret, token);
    const log = logId ? await findEmailLog(deps.db, logId) : undefined;
    if (!log) throw errors.validation([{ path: 'query.token', message: 'not an unsubscribe link this server made' }]);
    return log;
  }

  /** What the link is for, for the confirmation page. */
  async function describe(token: string): Promise<{ email: string }> {
    return { email: (await messageOf(token)).to };
  }

  async function unsubscribe(token: string): Promise<{ email: string }> {
    const log = await messageOf(token);
    const now = deps.clock.now();
    await deps.db.transaction(async (tx) => {
      await markUnsubscribed(tx, log.id, now);
      const userId = await findUserIdByEmail(tx, log.to);
      if (userId) await optOutOfMarketing(tx, userId, now);
    });
    return { email: log.to };
  }

  return { describe, unsubscribe };
}
