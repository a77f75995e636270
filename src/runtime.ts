/**
 * Opens everything the app and the workers run on, from configuration: database (migrated), queue,
 * mail and SMS transports, the server secret. The CLI uses it; tests build their own parts.
 */
import type { Config } from './config.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import { openDatabase, type Database } from './platform/db/database.ts';
import { migrateDatabase } from './platform/db/migrate.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import type { Mailer } from './platform/mail/mailer.ts';
import { createMailer, createSmsSender } from './platform/mail/transports.ts';
import { createQueue, type Queue } from './platform/queue/queue.ts';
import { jobDefinitions } from './jobs.ts';
import { resolveSecret } from './platform/secrets.ts';
import type { SmsSender } from './platform/sms/sms.ts';
import { createStorage, type Storage } from './platform/storage/index.ts';
import path from 'node:path';

export interface Runtime {
  config: Config;
  log: Logger;
  clock: Clock;
  database: Database;
  queue: Queue;
  secret: string;
  mailer: Mailer & { close(): Promise<void> };
  sms: SmsSender;
  storage: Storage;
  close(): Promise<void>;
}

export async function openRuntime(config: Config, opts: { log?: Logger } = {}): Promise<Runtime> {
  const log = opts.log ?? createLogger(config.logLevel);
  const database = config.database.url
    ? await openDatabase({ kind: 'postgres', url: config.database.url, poolSize: config.database.poolSize })
    : await openDatabase({ kind: 'pglite', dataDir: path.join(config.dataDir, 'pgdata') });
  try {
    await migrateDatabase(database);
    const queue = createQueue(database, log);
    await queue.start(jobDefinitions);
    const secret = await resolveSecret(config.secret, config.dataDir);
    const mailer = createMailer(config.mail, { db: database.db, devOutbox: config.devOutbox.enabled, log });
    const sms = createSmsSender(config.sms, { db: database.db, devOutbox: config.devOutbox.enabled, log });
    return {
      config,
      log,
      clock: systemClock,
      database,
      queue,
      secret,
      mailer,
      sms,
      storage: createStorage(config),
      async close() {
        // Running jobs get the grace period, then are aborted and handed back for retry.
        await queue.stop({ graceMs: config.generation.shutdownGraceSec * 1000 });
        await mailer.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
}
