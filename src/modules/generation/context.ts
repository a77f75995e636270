/** What the generation services, the worker and the jobs are built from. */
import type { Config } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Db, DbOrTx } from '../../platform/db/types.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Queue } from '../../platform/queue/queue.ts';
import type { Storage } from '../../platform/storage/index.ts';
import type { Ledger } from '../billing/index.ts';
import type { MediaLimits } from '../media/index.ts';
import type { ImageProvider } from './providers/provider.ts';
import type { Router } from './routing.ts';
import type { StatusBus } from './status-bus.ts';
import type { GenerationViews } from './view.ts';

/** Whether a user's outputs get a watermark (their plan says so); billing's plan lookup plugs in here. */
export type WatermarkFor = (userId: string) => Promise<boolean>;

/**
 * The seam for the catalog module (products, subjects, templates, styles); `noCatalog` is for a
 * context built without one: no id names anything, so every given id is 404.
 */
export interface CatalogLookup {
  // `db` is the caller's transaction when there is one: on PGlite's single connection a query on
  // the pool while a transaction is open would wait for itself.
  product(userId: string, id: string, db?: DbOrTx): Promise<{ imageAssetIds: string[] } | undefined>;
  subject(userId: string, id: string, db?: DbOrTx): Promise<{ status: string; context: Record<string, unknown> } | undefined>;
  template(id: string, db?: DbOrTx): Promise<{ context: Record<string, unknown> } | undefined>;
  /** A style, background or scene by key: its prompt and params for the provider. */
  style?(key: string, db?: DbOrTx): Promise<{ context: Record<string, unknown> } | undefined>;
}

export const noCatalog: CatalogLookup = {
  product: async () => undefined,
  subject: async () => undefined,
  template: async () => undefined,
};

export interface GenerationOptions {
  providers?: ImageProvider[];
  watermarkFor?: WatermarkFor;
  catalog?: CatalogLookup;
  limits?: Pick<MediaLimits, 'retentionDays'>;
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
  router: Router;
  views: GenerationViews;
  watermarkFor: WatermarkFor;
  catalog: CatalogLookup;
  limits: Pick<MediaLimits, 'retentionDays'>;
  fetch?: typeof fetch;
}
