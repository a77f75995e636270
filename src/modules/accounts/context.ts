/** What every accounts service is built from. */
import type { Config } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, DbOrTx, Tx } from '../../platform/db/types.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Queue } from '../../platform/queue/queue.ts';
import type { EmailSender } from '../../platform/mail/email-sender.ts';
import type { SmsSender } from '../../platform/sms/sms.ts';
import type { TUserPlan } from './accounts.dto.ts';
import type { UserRow } from './accounts.queries.ts';
import { createAccountViewCache, type AccountViewCache } from './account-view-cache.ts';
import { createPrincipalCache, type PrincipalCache } from './principal-cache.ts';
import { createTokenService, type TokenService } from './tokens.ts';

/**
 * What accounts needs of billing, which depends on accounts and so cannot be imported back: the
 * sign-up bonus (one ledger row in the transaction of the first verification) and the balance shown with a user.
 */
export interface AccountCredits {
  grantSignupBonus(tx: Tx, grant: { userId: string; amount: number; idempotencyKey: string; description: string }): Promise<void>;
  balanceOf(db: DbOrTx, userId: string): Promise<{ available: number; held: number } | undefined>;
}

export interface AccountsDeps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'signupCredits' | 'auth' | 'preset' | 'generation' | 'oauth' | 'publicUrl' | 'port'>;
  secret: string;
  mailer: EmailSender;
  sms: SmsSender;
  log: Logger;
  /** Codes are issued and delivered by queued jobs (otp.jobs.ts). */
  queue: Pick<Queue, 'send'>;
  credits: AccountCredits;
  /** Whether a user owns an asset (for the avatar); media's, handed in (media depends on accounts). */
  ownsAsset: (userId: string, assetId: string) => Promise<boolean>;
  /** The plan a user is on now, for GET /me; billing's, handed in. */
  planOf: (userId: string) => Promise<TUserPlan | null>;
  /** The user, balance and plan together in one query (GET /me is on every client's hot path); billing's too. */
  accountOf: (userId: string) => Promise<AccountWithCredits | undefined>;
  /** A link to the user's avatar image (expiring, signed) and until when to hand it out, or null when the asset is gone. From media too. */
  avatarUrl: AvatarUrl;
}

export interface AccountWithCredits {
  user: UserRow;
  credits: { available: number; held: number };
  plan: TUserPlan | null;
}

export interface AvatarLink {
  url: string;
  /** Until when it may be handed out (it works for a while longer); a view showing it is not served past it. */
  showUntil: Date;
}

export type AvatarUrl = (userId: string, assetId: string) => Promise<AvatarLink | null>;

/** Who is asking, for sessions and audit rows. */
export type { RequestMeta } from '../../platform/http/request-meta.ts';

export interface AccountsContext extends AccountsDeps {
  tokens: TokenService;
  /** Off until the API starts listening for auth changes (app.ts); workers never turn it on. */
  principals: PrincipalCache;
  /** GET /me's views; off until the API follows account changes (app.ts), like `principals`. */
  accountViews: AccountViewCache;
}

export function createAccountsContext(deps: AccountsDeps): AccountsContext {
  return {
    ...deps,
    tokens: createTokenService({ secret: deps.secret, accessTtlSec: deps.config.auth.accessTokenTtlSec }),
    principals: createPrincipalCache({ ttlSec: deps.config.auth.principalCacheTtlSec }),
    accountViews: createAccountViewCache({ ttlSec: deps.config.auth.principalCacheTtlSec }),
  };
}
