/**
 * The app as integration tests see it: the real buildApp() on a real database (PGlite in memory, or
 * PostgreSQL when TEST_DATABASE_URL is set) and the real pg-boss queue. Stand-ins: mail and SMS go
 * to the outbox table; files go to local disk in a temp data dir (or a given storage); the clock can be moved by hand; rate limits are off unless a test turns them
 * on; webhooks may reach private addresses (the stand-ins listen on 127.0.0.1); no web app is served.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { composeModules, type Modules } from '../../src/compose.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { jobDefinitions } from '../../src/jobs.ts';
import { accountsHandlers, accountsJobs } from '../../src/modules/accounts/index.ts';
import { giftCardDeliverHandler, giftCardDeliverJob } from '../../src/modules/billing/index.ts';
import type { GenerationOptions } from '../../src/modules/generation/index.ts';
import { manualClock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createOutboxMailer, createOutboxSms } from '../../src/platform/mail/outbox.ts';
import type { Mailer } from '../../src/platform/mail/mailer.ts';
import { createQueue, type Queue } from '../../src/platform/queue/queue.ts';
import type { SmsSender } from '../../src/platform/sms/sms.ts';
import { createStorage, type Storage } from '../../src/platform/storage/index.ts';
import { createTestDatabase } from './databases.ts';

export interface TestApp {
  app: FastifyInstance;
  /** The modules the app serves, built once by the composition root (their job handlers too). */
  modules: Modules;
  config: Config;
  database: Database;
  queue: Queue;
  clock: ReturnType<typeof manualClock>;
  secret: string;
  storage: Storage;
  close(): Promise<void>;
}

export async function createTestApp(
  opts: {
    env?: Record<string, string>;
    realClock?: boolean;
    storage?: Storage;
    generation?: GenerationOptions;
    /** null: PGlite even when TEST_DATABASE_URL is set (the bench measures both). */
    databaseUrl?: string | null;
    /** The SMS transport instead of the outbox (a stand-in that hangs or fails). */
    sms?: SmsSender;
    /** The mail transport instead of the outbox (a stand-in that fails). */
    mailer?: Mailer;
    /** false: no worker issues and sends one-time codes (a test that runs its own). */
    codeWorker?: boolean;
  } = {},
): Promise<TestApp> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ATELIER_DATA_DIR: dataDir,
    ATELIER_RATE_LIMIT: 'off',
    ATELIER_DEV_OUTBOX: 'on',
    // Webhook tests deliver to stand-ins on 127.0.0.1; the policy itself is tested with this off.
    ATELIER_WEBHOOKS_ALLOW_PRIVATE: 'on',
    ...opts.env,
  });
  const database = await createTestDatabase(opts.databaseUrl);
  const log = createLogger(config.logLevel);
  const queue = createQueue(database, log);
  await queue.start(jobDefinitions);
  const clock = manualClock(new Date());
  const secret = 'test-secret-'.padEnd(48, 'x');
  const storage = opts.storage ?? createStorage(config);
  const modules = composeModules(
    {
      config,
      database,
      queue,
      clock: opts.realClock ? { now: () => new Date() } : clock,
      secret,
      mailer: opts.mailer ?? createOutboxMailer(database.db),
      sms: opts.sms ?? createOutboxSms(database.db),
      storage,
      log,
    },
    opts.generation,
  );
  const app = await buildApp({ config, database, queue, storage, log, modules, webRoot: null });
  // One-time codes and gift-card codes are sent by queued jobs (decisions 100 and 108): the test app
  // runs their worker, as a deployment's worker process does. What it sends still lands in the outbox.
  if (opts.codeWorker !== false) await queue.work([...accountsHandlers(modules.accounts), giftCardDeliverHandler(modules.billing.giftCards)]);
  databasesOf.set(app, database);
  return {
    app,
    modules,
    config,
    database,
    queue,
    clock,
    secret,
    storage,
    async close() {
      await app.close();
      await queue.stop();
      await database.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** inject() with a JSON body and optional bearer token, returning the parsed body too. */
export async function call(
  app: FastifyInstance,
  method: InjectOptions['method'],
  url: string,
  opts: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse & { body: string; data: any }> {
  const res = await app.inject({
    method,
    url,
    headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers },
    ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
  });
  let data: unknown;
  try {
    data = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    data = undefined;
  }
  return Object.assign(res, { data });
}

/**
 * A raw SQL change to users, sessions or API keys (or anything else GET /me shows), made as another
 * process would make it; returns once this app has heard of it (at once on PGlite, a moment later
 * on PostgreSQL), so the next request sees it whether or not the credential or the account view was
 * cached (decisions 070 and 106).
 */
export async function sqlAuthChange(t: { app: FastifyInstance; database: Database }, text: string): Promise<void> {
  await sqlRows(t, text);
  await Promise.all([t.app.authChanges.heard(), t.app.accountChanges.heard()]);
}

/** Rows of a raw SQL statement, for assertions about what the database holds. */
export async function sqlRows<T = Record<string, unknown>>(t: { database: Database }, text: string): Promise<T[]> {
  const res = (await t.database.db.execute(sql.raw(text))) as unknown as { rows: T[] };
  return res.rows;
}

const databasesOf = new WeakMap<FastifyInstance, Database>();

/**
 * Waits until every one-time code requested and every gift card issued so far has been sent (their
 * jobs are done), so the outbox holds it. Both only enqueue work (decisions 100 and 108).
 */
export async function codesSent(app: FastifyInstance, timeoutMs = 20_000): Promise<void> {
  const database = databasesOf.get(app);
  if (!database) throw new Error('codesSent: not an app made by createTestApp');
  const names = [...accountsJobs, giftCardDeliverJob].map((d) => `'${d.name}'`).join(', ');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await sqlRows<{ n: string | number }>({ database }, `select count(*) as n from pgboss.job where name in (${names}) and state in ('created', 'retry', 'active')`);
    if (Number(row?.n) === 0) return;
    if (Date.now() > deadline) throw new Error('codesSent: code jobs still pending');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Runs one of the app's job handlers once, as a worker would: the handler the composition root
 * built, with every dependency it was handed (so a test of a job crosses the same seams production does).
 */
export async function runJob(t: Pick<TestApp, 'modules'>, name: string, data: unknown = {}): Promise<void> {
  const handler = t.modules.jobHandlers.find((h) => h.definition.name === name);
  if (!handler) throw new Error(`runJob: no handler for ${name}`);
  await handler.handle(data, { jobId: 'test', retryCount: 0, retryLimit: 0, signal: new AbortController().signal, log: createLogger('silent') });
}
