/**
 * Opens the system of record: embedded PGlite (data under the data dir) when no DATABASE_URL is set,
 * PostgreSQL through a node-postgres pool otherwise. Both hand back the same drizzle API.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { Db } from './types.ts';

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Set in embedded mode: pg-boss and the migrator talk to it directly. */
  pglite?: PGlite;
  /** Set in server mode. */
  connectionString?: string;
  pool?: pg.Pool;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob }
  | { kind: 'postgres'; url: string; poolSize?: number };

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
    // A pooled client that errors while idle must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    // Nor one that is checked out (a transaction between two statements) when the server ends its
    // connection (a restart): the pool takes its own listener off while a client is lent, and an
    // 'error' event with no listener kills the process. The holder's next statement fails instead
    // ("not queryable": a dependency down, answered 503) and the client is discarded on release.
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = drizzlePg({ client: pool, casing: 'snake_case' }) as unknown as Db;
    return {
      kind: 'postgres',
      db,
      pool,
      connectionString: opts.url,
      ping: async () => void (await db.execute(sql`select 1`)),
      close: () => pool.end(),
    };
  }
  if (opts.dataDir) await fs.mkdir(path.dirname(opts.dataDir), { recursive: true });
  const pglite = await PGlite.create(opts.dataDir, opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {});
  const db = drizzlePglite({ client: pglite, casing: 'snake_case' }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    pglite,
    ping: async () => void (await pglite.query('select 1')),
    close: () => pglite.close(),
  };
}
