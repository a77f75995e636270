/** What the generation services, the worker and the jobs are built from. */
import type { Config } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Db } from '../../platform/db/types.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Queue } from '../../platform/queue/queue.ts';
import type { Storage } from '../../platform/storage/index.ts';
import type { Ledger } from '../billing/index.ts';
import type { CatalogLookup } from '../catalog/index.ts';
import type { MediaLimits } from '../media/index.ts';
import type { ImageProvider } from './providers/provider.ts';
import type { ProviderChoice } from './provider-choice.ts';
import type { QuotaPlanOf } from './quota.ts';
import type { StatusBus } from './status-bus.ts';
import type { GenerationViews } from './view.ts';
import type { AssetLinks } from '../media/index.ts';

/** Whether a user's outputs get a watermark (their plan says so); billing's plan lookup is handed in. */
export type WatermarkFor = (userId: string) => Promise<boolean>;

/** Parts of the engine a test (or an embedder) may replace; the composition root builds the rest from config. */
export interface GenerationOptions {
  providers?: ImageProvider[];
  watermarkFor?: WatermarkFor;
  catalog?: CatalogLookup;
  limits?: Pick<MediaLimits, 'retentionDays'>;
  fetch?: typeof fetch;
}

/** What the engine is built from: the platform's parts and what it needs of billing, media and the catalog. */
export interface GenerationDeps {
  db: Db;
  /** The status bus listens on it (NOTIFY on PostgreSQL, in-process on PGlite). */
  database: Database;
  queue: Queue;
  clock: Clock;
  storage: Storage;
  config: Config;
  log: Logger;
  /** Billing's ledger: holds, captures and releases. */
  ledger: Ledger;
  /** The configured image providers, in no particular order (the provider choice orders them). */
  providers: readonly ImageProvider[];
  watermarkFor: WatermarkFor;
  /** How long results are kept, by the owner's plan. */
  limits: Pick<MediaLimits, 'retentionDays'>;
  /** What the owner's plan allows per period (billing's plan limits). */
  quotaPlan: QuotaPlanOf;
  catalog: CatalogLookup;
  /** Signs the output links in responses and webhook bodies. */
  links: AssetLinks;
  fetch?: typeof fetch;
}

export interface GenerationContext {
  db: Db;
  database: Database;
  queue: Queue;
  clock: Clock;
  storage: Storage;
  config: Config;
  log: Logger;
  ledger: Ledger;
  bus: StatusBus;
  providerChoice: ProviderChoice;
  views: GenerationViews;
  watermarkFor: WatermarkFor;
  catalog: CatalogLookup;
  limits: Pick<MediaLimits, 'retentionDays'>;
  quotaPlan: QuotaPlanOf;
  fetch?: typeof fetch;
}
