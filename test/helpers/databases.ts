/**
 * Test databases start from a migrated template, not from initdb (which takes seconds):
 * - embedded: a PGlite data dir dumped once per run and loaded into memory by each test file;
 * - PostgreSQL (when TEST_DATABASE_URL is set): a template database copied with CREATE DATABASE …
 *   TEMPLATE, one fresh database per test file, dropped afterwards.
 * Both templates hold the pg-boss schema too.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { migrateDatabase } from '../../src/platform/db/migrate.ts';
import { createQueue } from '../../src/platform/queue/queue.ts';
import { jobDefinitions } from '../../src/jobs.ts';
import { createLogger } from '../../src/platform/logger.ts';

export const TEMPLATE_DUMP = path.resolve('.tmp/pglite-template.tar');
// Named after the checkout, so test runs of two checkouts on one server leave each other alone.
const PREFIX = `atelier_test_${createHash('sha256').update(process.cwd()).digest('hex').slice(0, 8)}`;
const TEMPLATE_DB = `${PREFIX}_template`;

export const testDatabaseUrl = (): string | undefined => process.env.TEST_DATABASE_URL || undefined;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function installSchemas(database: Database): Promise<void> {
  await migrateDatabase(database);
  const queue = createQueue(database, createLogger('silent'));
  await queue.start(jobDefinitions);
  await queue.stop();
}

/** Builds the templates once per test run (vitest globalSetup). */
export async function prepareTemplates(): Promise<void> {
  await fs.mkdir(path.dirname(TEMPLATE_DUMP), { recursive: true });
  const pglite = await openDatabase({ kind: 'pglite' });
  await installSchemas(pglite);
  const dump = await pglite.pglite!.dumpDataDir('none');
  // Write then rename: another run reading the template never sees half a file.
  const partial = `${TEMPLATE_DUMP}.${process.pid}.partial`;
  await fs.writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await fs.rename(partial, TEMPLATE_DUMP);
  await pglite.close();

  const url = testDatabaseUrl();
  if (!url) return;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const tpl = await openDatabase({ kind: 'postgres', url: withDatabase(url, TEMPLATE_DB), poolSize: 2 });
  await installSchemas(tpl);
  await tpl.close();
}

/** Drops databases left by test files (vitest globalSetup teardown). */
export async function dropTestDatabases(): Promise<void> {
  const url = testDatabaseUrl();
  if (!url) return;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}_%' AND datname <> '${TEMPLATE_DB}'`);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/**
 * A fresh, migrated database for one test file: PGlite in memory, or a copy on the server.
 * `url` null asks for PGlite even when TEST_DATABASE_URL is set (the bench measures both).
 */
export async function createTestDatabase(url: string | null = testDatabaseUrl() ?? null): Promise<Database> {
  if (!url) {
    const dump = await fs.readFile(TEMPLATE_DUMP);
    return openDatabase({ kind: 'pglite', loadDataDir: new Blob([dump]) });
  }
  const name = `${PREFIX}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const database = await openDatabase({ kind: 'postgres', url: withDatabase(url, name), poolSize: 10 });
  const close = database.close;
  database.close = async () => {
    await close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => c.end());
  };
  return database;
}

