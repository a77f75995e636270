/** The accounts module, assembled from its services. */
import { createAdminBootstrap } from './admin-bootstrap.ts';
import { createAdminUsersService } from './admin-users.service.ts';
import { createApiKeysService } from './api-keys.service.ts';
import { createAccountsContext, type AccountsDeps } from './context.ts';
import { createOAuthProviders } from './oauth-providers.ts';
import { createOAuthService } from './oauth.service.ts';
import { createOtpService } from './otp.service.ts';
import { createPreferencesService } from './preferences.service.ts';
import { createPrincipalResolver } from './principal.ts';
import { createProfileService } from './profile.service.ts';
import { createSessionsService } from './sessions.service.ts';
import { createSignUpService } from './sign-up.service.ts';
import { createVendorProfileService } from './vendor-profile.service.ts';

export function createAccountsService(deps: AccountsDeps) {
  const ctx = createAccountsContext(deps);
  const sessions = createSessionsService(ctx);
  const signUp = createSignUpService(ctx, sessions);
  return {
    ctx,
    sessions,
    signUp,
    otp: createOtpService(ctx, signUp),
    oauth: createOAuthService(ctx, signUp, {
      providers: createOAuthProviders(deps.config),
      baseUrl: (deps.config.publicUrl ?? `http://localhost:${deps.config.port}`).replace(/\/+$/, ''),
    }),
    profile: createProfileService(ctx),
    preferences: createPreferencesService(ctx),
    vendorProfile: createVendorProfileService(ctx),
    apiKeys: createApiKeysService(ctx),
    admins: createAdminBootstrap(ctx),
    adminUsers: createAdminUsersService(ctx),
    resolvePrincipal: createPrincipalResolver(ctx),
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
