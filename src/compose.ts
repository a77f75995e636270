/**
 * The composition root: builds every module once, from the platform's parts, for the API and the
 * workers alike (`app.ts` registers their routes, `main.ts` starts their job handlers, tests do
 * both). It is the one place that knows how the modules fit together. Modules import each other
 * only downward — accounts ← media ← billing ← catalog ← generation ← privacy ← notifications ← admin — and what a
 * lower module needs of a higher one (accounts of billing's ledger, media of billing's plan
 * limits, the catalog's subjects of the engine's submit) is handed in here as a function.
 * `npm run lint:deps` keeps it so (docs/ARCHITECTURE.md, decision 023).
 */
import type { Config } from './config.ts';
import { jobHandlersOf } from './jobs.ts';
import { createAccountsService, isAvatarAsset, type AccountCredits } from './modules/accounts/index.ts';
import { createAdminRecordsService, createAdminUsersService, createAnalyticsService, createSystemMetricsService, createSystemService } from './modules/admin/index.ts';
import { createBillingModule, creditInvariantReport, getBalance } from './modules/billing/index.ts';
import { catalogUsesAsset, createCatalogLookup, createCatalogModule, createSubjectsService } from './modules/catalog/index.ts';
import { createGenerationModule, createProviders, subjectPhotoMinSide, type GenerationOptions } from './modules/generation/index.ts';
import { createMediaModule, type AssetInUse } from './modules/media/index.ts';
import { createNotificationsModule } from './modules/notifications/index.ts';
import { createPrivacyModule } from './modules/privacy/index.ts';
import type { Clock } from './platform/clock.ts';
import type { Database } from './platform/db/database.ts';
import type { Logger } from './platform/logger.ts';
import type { Mailer } from './platform/mail/mailer.ts';
import type { Queue } from './platform/queue/queue.ts';
import type { SmsSender } from './platform/sms/sms.ts';
import type { Storage } from './platform/storage/index.ts';

export const VERSION = '0.1.0';

/** What the modules run on: opened by `openRuntime` (or by a test). */
export interface PlatformParts {
  config: Config;
  database: Database;
  queue: Queue;
  clock: Clock;
  /** Server secret: signs access tokens and links, keys one-time-code hashes. */
  secret: string;
  mailer: Mailer;
  sms: SmsSender;
  storage: Storage;
  log: Logger;
}

export function composeModules(p: PlatformParts, overrides: GenerationOptions = {}) {
  const { config, database, queue, clock, secret, mailer, sms, storage, log } = p;
  const db = database.db;
  const fetchOverride = overrides.fetch ? { fetch: overrides.fetch } : {};

  // Every module mails through templates and the email log; the transport is only the last step.
  const notifications = createNotificationsModule({ db, clock, config, queue, secret, transport: mailer, log });
  const billing = createBillingModule({ db, clock, config, queue, secret, mailer: notifications.emails, log });
  const media = createMediaModule({ db, storage, clock, secret, config, log, limits: billing.planLimits });
  const credits: AccountCredits = {
    async grantSignupBonus(tx, grant) {
      await billing.ledger.apply(tx, { ...grant, type: 'signup_bonus', referenceType: 'user', referenceId: grant.userId });
    },
    balanceOf: getBalance,
  };
  const accounts = createAccountsService({
    db,
    clock,
    config,
    secret,
    mailer: notifications.emails,
    sms,
    log,
    queue,
    credits,
    ownsAsset: media.assets.isOwnedBy,
    planOf: billing.planLimits.view,
    accountOf: billing.planLimits.accountOf,
    avatarUrl: media.assets.avatarUrl,
  });
  const catalog = createCatalogModule({ db, clock, links: media.assets.links, publicUrl: config.publicUrl });
  const generation = createGenerationModule({
    db,
    database,
    queue,
    clock,
    storage,
    config,
    log,
    ledger: billing.ledger,
    providers: overrides.providers ?? createProviders(config, { clock, log, ...fetchOverride }),
    // The owner's plan decides the watermark and how long results are kept.
    watermarkFor: overrides.watermarkFor ?? billing.planLimits.hasWatermark,
    limits: overrides.limits ?? billing.planLimits,
    quotaPlan: billing.planLimits.quotaPlan,
    catalog: overrides.catalog ?? createCatalogLookup({ db, clock, queue }),
    links: media.assets.links,
    ...fetchOverride,
  });
  // A subject's training is a generation submitted through the engine's own path.
  // Photos too small for the provider that will prepare them are refused before anything is held.
  const subjects = createSubjectsService({ db, clock, submit: generation.service.submit, minPhotoSide: () => subjectPhotoMinSide(generation.context.providerChoice) });
  const privacy = createPrivacyModule({ db, storage, clock, queue, secret, config, log, mailer: notifications.emails, forgetPrincipals: accounts.ctx.principals.forgetUser, providerSubscriptions: billing.providerSubscriptions });
  const system = createSystemService({
    version: VERSION,
    database,
    queue,
    config,
    log,
    paymentProviders: billing.offers.providers().providers,
    creditInvariants: () => creditInvariantReport(db),
  });

  const adminUsers = createAdminUsersService({ db, userView: accounts.adminUsers.view });

  const adminRecords = createAdminRecordsService({ db });
  const analytics = createAnalyticsService({ db, clock });
  const systemMetrics = createSystemMetricsService({ db, clock, queueState: system.queueState });
  // Training photos and avatars are kept while a subject, a product or a profile uses them (decision 110).
  const assetInUse: AssetInUse = async (tx, assetId) => (await catalogUsesAsset(tx, assetId)) || (await isAvatarAsset(tx, assetId));
  const modules = { accounts, billing, media, catalog, subjects, generation, privacy, notifications, system, adminUsers, adminRecords, analytics, systemMetrics };
  return { ...modules, jobHandlers: jobHandlersOf({ db, clock, accounts, giftCards: billing.giftCards, storage, config, planLimits: billing.planLimits, assetInUse, privacy, notifications, generation: generation.context, systemMetrics }) };
}

export type Modules = ReturnType<typeof composeModules>;
