/** What the generation services, the worker and the jobs are built from. */
import type { Config } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Db, DbOrTx, Tx } from '../../platform/db/types.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Queue } from '../../platform/queue/queue.ts';
import type { Storage } from '../../platform/storage/index.ts';
import type { Ledger } from '../billing/index.ts';
import type { MediaLimits } from '../media/index.ts';
import type { ImageProvider } from './providers/provider.ts';
import type { ProviderChoice } from './provider-choice.ts';
import type { StatusBus } from './status-bus.ts';
import type { GenerationViews } from './view.ts';

/** Whether a user's outputs get a watermark (their plan says so); billing's plan lookup plugs in here. */
export type WatermarkFor = (userId: string) => Promise<boolean>;

/** A generation that has just ended, as the catalog hears of it (inside the ending transaction). */
export interface SettledGeneration {
  id: string;
  userId: string;
  type: string;
  subjectId: string | null;
  status: 'completed' | 'failed' | 'cancelled';
  artifacts?: Record<string, unknown> | undefined;
  outputAssetIds: string[];
  error?: { code: string; message: string } | undefined;
}

/** A subject as the engine sees it: its photos (the owner's assets, in order) and provider context. */
export interface SubjectForEngine {
  status: string;
  imageAssetIds: string[];
  /** trainedModel / triggerWord (decision 018) once trained; gender. */
  context: Record<string, unknown>;
}

/**
 * The seam for the catalog module (products, subjects, templates, styles); `noCatalog` is for a
 * context built without one: no id names anything, so every given id is 404. A lookup made while
 * submitting gets the submitting transaction as `db` (on PGlite the only connection is held by it).
 * `settled` runs in the transaction that ends a generation, so a subject's training ends with it.
 */
export interface CatalogLookup {
  product(userId: string, id: string, db?: DbOrTx): Promise<{ imageAssetIds: string[] } | undefined>;
  subject(userId: string, id: string, db?: DbOrTx): Promise<SubjectForEngine | undefined>;
  template(id: string, db?: DbOrTx): Promise<{ context: Record<string, unknown> } | undefined>;
  /** A style, background or scene by key: its prompt and params for the provider. */
  style?(key: string, db?: DbOrTx): Promise<{ context: Record<string, unknown> } | undefined>;
  settled?(tx: Tx, generation: SettledGeneration): Promise<void>;
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
  providerChoice: ProviderChoice;
  views: GenerationViews;
  watermarkFor: WatermarkFor;
  catalog: CatalogLookup;
  limits: Pick<MediaLimits, 'retentionDays'>;
  fetch?: typeof fetch;
}
