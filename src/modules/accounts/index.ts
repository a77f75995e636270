/** What other modules and the app may use of accounts. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import type { Logger } from '../../platform/logger.ts';
import { createAccountsService, type AccountsService } from './accounts.service.ts';
import { authRoutes } from './auth.routes.ts';
import type { AccountsDeps } from './context.ts';
import { meRoutes } from './me.routes.ts';

export { createAccountsService, type AccountsService } from './accounts.service.ts';
export { users, sessions, type UserRole } from './accounts.tables.ts';
export { findUserById, findVendorBySlug, isVendor } from './accounts.queries.ts';
export { verifyPassword } from './passwords.ts';

/** The accounts service from the app's dependencies. */
export function createAccountsModule(
  deps: Pick<AppDeps, 'database' | 'clock' | 'config' | 'secret' | 'mailer' | 'sms'> & { log: Logger; ownsAsset?: AccountsDeps['ownsAsset']; planOf?: AccountsDeps['planOf']; avatarUrl?: AccountsDeps['avatarUrl'] },
) {
  return createAccountsService({
    db: deps.database.db,
    clock: deps.clock,
    config: deps.config,
    secret: deps.secret,
    mailer: deps.mailer,
    sms: deps.sms,
    log: deps.log,
    ...(deps.ownsAsset ? { ownsAsset: deps.ownsAsset } : {}),
    ...(deps.planOf ? { planOf: deps.planOf } : {}),
    ...(deps.avatarUrl ? { avatarUrl: deps.avatarUrl } : {}),
  });
}

export async function accountsRoutes(app: FastifyInstance, accounts: AccountsService, opts: { secureCookies: boolean }): Promise<void> {
  await authRoutes(app, accounts, opts);
  await meRoutes(app, accounts);
}
export { pruneAccounts } from './prune.ts';
export { webhookSecretOf } from './webhook-secret.ts';
