/** What every accounts service is built from. */
import type { Config } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import type { SmsSender } from '../../platform/sms/sms.ts';
import { createLedger, type Ledger } from '../billing/index.ts';
import type { TUserPlan } from './accounts.dto.ts';
import { createTokenService, type TokenService } from './tokens.ts';

export interface AccountsDeps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'signupCredits' | 'auth'>;
  secret: string;
  mailer: Mailer;
  sms: SmsSender;
  log: Logger;
  /**
   * Whether a user owns an asset (for the avatar). Given by the app from the media module, which
   * depends on accounts, so accounts does not import it back. Absent: no asset can be named.
   */
  ownsAsset?: (userId: string, assetId: string) => Promise<boolean>;
  /**
   * The plan a user is on now, for GET /me. Given by the app from billing (which imports accounts).
   * Absent: `plan` is null.
   */
  planOf?: (userId: string) => Promise<TUserPlan | null>;
  /** A link to the user's avatar image (expiring, signed), or null when the asset is gone. From media too. */
  avatarUrl?: AvatarUrl;
}

export type AvatarUrl = (userId: string, assetId: string) => Promise<string | null>;

/** Who is asking, for sessions and audit rows. */
export type { RequestMeta } from '../../platform/http/request-meta.ts';

export interface AccountsContext extends AccountsDeps {
  tokens: TokenService;
  ledger: Ledger;
}

export function createAccountsContext(deps: AccountsDeps): AccountsContext {
  return {
    ...deps,
    tokens: createTokenService({ secret: deps.secret, accessTtlSec: deps.config.auth.accessTokenTtlSec }),
    ledger: createLedger({ clock: deps.clock }),
  };
}
