/** What other modules and the composition root may use of accounts. */
import type { FastifyInstance } from 'fastify';
import type { AccountsService } from './accounts.service.ts';
import { jobHandler, type JobHandler } from '../../platform/queue/queue.ts';
import { authRoutes } from './auth.routes.ts';
import { otpDeliverJob, otpRequestJob } from './otp.jobs.ts';
import { meRoutes } from './me.routes.ts';
import { oauthRoutes } from './oauth.routes.ts';
import { vendorProfileRoutes } from './vendor-profile.routes.ts';

export { createAccountsService, type AccountsService } from './accounts.service.ts';
export type { AccountsDeps, AccountCredits, AccountWithCredits } from './context.ts';
export { users, sessions, userPreferences, userRoles, type UserRole } from './accounts.tables.ts';
export { findPreferences, optOutOfMarketing } from './preferences.queries.ts';
export { ZUser, type TUser } from './accounts.dto.ts';
export { findUserById, findVendorBySlug, isAvatarAsset, isVendor } from './accounts.queries.ts';
export { verifyPassword } from './passwords.ts';
export { pruneAccounts } from './prune.ts';
export { followAuthChanges } from './auth-changes.ts';
export { followAccountChanges } from './account-changes.ts';
export { webhookSecretOf, webhookSecretsOf } from './webhook-secret.ts';
export { configuredOAuthProviders } from './oauth-providers.ts';
export { accountsJobs } from './otp.jobs.ts';

/** The handlers a worker runs for this module: one-time codes issued and delivered. */
export function accountsHandlers(accounts: AccountsService): JobHandler[] {
  return [
    jobHandler(otpRequestJob, (data) => accounts.otp.issue(data)),
    jobHandler(otpDeliverJob, (data) => accounts.otp.deliver(data)),
  ];
}

export async function accountsRoutes(app: FastifyInstance, accounts: AccountsService, opts: { secureCookies: boolean }): Promise<void> {
  await authRoutes(app, accounts, opts);
  await meRoutes(app, accounts);
  const { publicUrl, port } = accounts.ctx.config;
  await oauthRoutes(app, accounts, { ...opts, baseUrl: (publicUrl ?? `http://localhost:${port}`).replace(/\/+$/, '') });
  await vendorProfileRoutes(app, accounts);
}
