/**
 * Every queue of every module. Each is created (and touched) when the runtime starts, before any
 * transaction could be the first to use it; a definition with `cron` is also scheduled. The
 * handlers a worker runs are made from the modules the composition root built (compose.ts).
 */
import type { Config } from './config.ts';
import { pruneHandler, pruneJob } from './maintenance.ts';
import { accountsHandlers, accountsJobs, type AccountsService } from './modules/accounts/index.ts';
import { systemMetricsHandler, systemMetricsJob, type SystemMetricsService } from './modules/admin/index.ts';
import * as billing from './modules/billing/index.ts';
import { generationJobDefinitions, generationJobHandlers, type GenerationContext } from './modules/generation/index.ts';
import { retentionHandler, retentionJob, type AssetInUse, type MediaLimits } from './modules/media/index.ts';
import { notificationsHandlers, notificationsJobs, type NotificationsModule } from './modules/notifications/index.ts';
import { privacyHandlers, privacyJobs, type PrivacyModule } from './modules/privacy/index.ts';
import type { Clock } from './platform/clock.ts';
import type { Db } from './platform/db/types.ts';
import type { JobDefinition, JobHandler } from './platform/queue/queue.ts';
import type { Storage } from './platform/storage/index.ts';

export const jobDefinitions: JobDefinition[] = [
  pruneJob,
  ...accountsJobs,
  billing.expireCreditsJob,
  billing.expireSubscriptionsJob,
  billing.expirePaymentsJob,
  billing.giftCardDeliverJob,
  retentionJob,
  ...privacyJobs,
  ...notificationsJobs,
  ...generationJobDefinitions,
  systemMetricsJob,
];

export interface JobParts {
  db: Db;
  clock: Clock;
  accounts: AccountsService;
  /** Sends issued gift cards' codes. */
  giftCards: Pick<billing.GiftCardDelivery, 'deliver'>;
  storage: Storage;
  config: Pick<Config, 'payments' | 'uploads'>;
  /** Billing's effective-plan limits: media's retention follows the owner's plan. */
  planLimits: MediaLimits;
  /** Whether a subject, a product or a profile uses an asset: training photos and avatars are kept while one does. */
  assetInUse: AssetInUse;
  privacy: PrivacyModule;
  notifications: NotificationsModule;
  generation: GenerationContext;
  /** The admin's system metrics, snapshotted on a schedule. */
  systemMetrics: Pick<SystemMetricsService, 'snapshot'>;
}

/** The handlers a worker process runs, the generation engine's included. */
export function jobHandlersOf(parts: JobParts): JobHandler[] {
  return [
    pruneHandler(parts) as JobHandler,
    ...accountsHandlers(parts.accounts),
    billing.expireCreditsHandler(parts) as JobHandler,
    billing.expireSubscriptionsHandler(parts) as JobHandler,
    billing.expirePaymentsHandler({ ...parts, pendingTtlSec: parts.config.payments.pendingTtlSec }) as JobHandler,
    billing.giftCardDeliverHandler(parts.giftCards),
    retentionHandler({ ...parts, limits: parts.planLimits, inUse: parts.assetInUse, unusedDays: parts.config.uploads.unusedDays }) as JobHandler,
    ...privacyHandlers(parts.privacy),
    ...notificationsHandlers(parts.notifications),
    ...generationJobHandlers(parts.generation),
    systemMetricsHandler(parts.systemMetrics) as JobHandler,
  ];
}
