/**
 * Keeps this process's principal cache in step with commits made by any process: migration 0019's
 * triggers announce the user id of every change that can end a credential on AUTH_CHANNEL, and
 * this forgets what the cache holds for that user (decision 070). Only the API follows them; a
 * process that does not leaves its cache off.
 */
import type { Database } from '../../platform/db/database.ts';
import { listenTo, type Listening } from '../../platform/db/notifications.ts';
import type { Logger } from '../../platform/logger.ts';
import type { PrincipalCache } from './principal-cache.ts';

export const AUTH_CHANNEL = 'atelier_auth';

export function followAuthChanges(database: Database, principals: PrincipalCache, log: Logger): Promise<Listening> {
  return listenTo(
    database,
    AUTH_CHANNEL,
    {
      message: (userId) => principals.forgetUser(userId),
      up: () => principals.setListening(true),
      down: () => principals.setListening(false),
    },
    log,
  );
}
