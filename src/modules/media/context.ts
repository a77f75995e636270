/** What every media service is built from. */
import type { Config } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Storage } from '../../platform/storage/index.ts';
import type { MediaLimits } from './limits.ts';


export interface MediaDeps {
  db: Db;
  storage: Storage;
  clock: Clock;
  secret: string;
  config: Pick<Config, 'uploads' | 'publicUrl' | 'dataDir'>;
  log: Logger;
  /** Retention and album quota by the owner's plan: billing's, handed in (billing is not imported). */
  limits: MediaLimits;
}
