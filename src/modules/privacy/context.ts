/** What the privacy services are built from. */
import type { Config } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import type { Logger } from '../../platform/logger.ts';
import type { EmailSender } from '../../platform/mail/email-sender.ts';
import type { Queue } from '../../platform/queue/queue.ts';
import type { Storage } from '../../platform/storage/index.ts';
import type { ProviderSubscriptions } from '../billing/index.ts';

export interface PrivacyDeps {
  db: Db;
  storage: Storage;
  clock: Clock;
  queue: Pick<Queue, 'send'>;
  /** Signs download links of exports. */
  secret: string;
  config: Pick<Config, 'publicUrl' | 'port'>;
  log: Logger;
  /** Tells the owner when an export is ready (export_ready). */
  mailer: EmailSender;
  /** Accounts' principal cache: an erased account's credentials stop on this process at once (decision 070). */
  forgetPrincipals: (userId: string) => void;
  /** Billing's: ends the subscriptions a provider renews, before erasure deletes anything. */
  providerSubscriptions: Pick<ProviderSubscriptions, 'endForErasure'>;
}
