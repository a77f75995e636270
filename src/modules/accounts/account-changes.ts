/**
 * Keeps this process's account views (account-view-cache.ts) in step with commits made by any
 * process: migration 0027's triggers announce on ACCOUNT_CHANNEL the user whose GET /me changed, or
 * '*' when a plan did, and this forgets the views concerned (decision 106). Only the API follows
 * them; a process that does not leaves its cache off.
 */
import type { Database } from '../../platform/db/database.ts';
import { listenTo, type Listening } from '../../platform/db/notifications.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AccountViewCache } from './account-view-cache.ts';

export const ACCOUNT_CHANNEL = 'atelier_account';
/** The payload of a change every account shows (a plan's row). */
export const EVERY_ACCOUNT = '*';

export function followAccountChanges(database: Database, views: AccountViewCache, log: Logger): Promise<Listening> {
  return listenTo(
    database,
    ACCOUNT_CHANNEL,
    {
      message: (userId) => (userId === EVERY_ACCOUNT ? views.forgetAll() : views.forgetUser(userId)),
      up: () => views.setListening(true),
      down: () => views.setListening(false),
    },
    log,
  );
}
