import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';

type NoSchema = Record<string, never>;

/**
 * What every `*.queries.ts` function takes first: the database or an open transaction. Both the
 * embedded (PGlite) and the server (node-postgres) drivers satisfy it, so queries are written once.
 * No relational schema is attached: queries name their tables, so the platform need not know them.
 */
export type Db = PgDatabase<PgQueryResultHKT, NoSchema>;
export type Tx = PgTransaction<PgQueryResultHKT, NoSchema, ExtractTablesWithRelations<NoSchema>>;
export type DbOrTx = Db | Tx;
