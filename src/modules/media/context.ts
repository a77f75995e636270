/** What every media service is built from. */
import type { Config } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Storage } from '../../platform/storage/index.ts';
import type { AssetKind } from './media.tables.ts';

/**
 * How long a user's files of a kind are kept (days; null = for good). Plans come from the billing
 * module; until it offers them the app injects today's defaults.
 */
export type RetentionDays = (ownerId: string, kind: AssetKind) => Promise<number | null>;

export interface MediaDeps {
  db: Db;
  storage: Storage;
  clock: Clock;
  secret: string;
  config: Pick<Config, 'uploads' | 'publicUrl'>;
  log: Logger;
  retentionDays?: RetentionDays;
}
