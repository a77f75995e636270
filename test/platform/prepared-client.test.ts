/**
 * The pg client given to pg-boss's pool: parameterised queries run as named prepared statements,
 * everything else as before. Real: PostgreSQL (skipped without TEST_DATABASE_URL — PGlite has no
 * pool and no wire protocol; the queue on it does not use this client). No stand-ins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import { PreparedStatementClient } from '../../src/platform/queue/prepared-client.ts';
import { createTestDatabase, testDatabaseUrl } from '../helpers/databases.ts';

describe.skipIf(!testDatabaseUrl())('PreparedStatementClient (PostgreSQL)', () => {
  let database: Database;
  let client: PreparedStatementClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new PreparedStatementClient({ connectionString: database.connectionString! });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await database?.close();
  });

  const prepared = async () => (await client.query('select name, statement from pg_prepared_statements order by name')).rows as { name: string; statement: string }[];

  it('prepares a parameterised statement once and reuses it', async () => {
    const text = 'select $1::int + $2::int as sum';
    expect((await client.query(text, [1, 2])).rows).toEqual([{ sum: 3 }]);
    expect((await client.query(text, [40, 2])).rows).toEqual([{ sum: 42 }]);
    const statements = (await prepared()).filter((s) => s.statement === text);
    expect(statements).toHaveLength(1);
    expect(statements[0]!.name).toMatch(/^q_[0-9a-f]{24}$/);
  });

  it('gives different texts different statements, and keeps callbacks working', async () => {
    const rows = await new Promise<unknown[]>((resolve, reject) =>
      client.query('select $1::text as v', ['x'], (err: Error | null, res: { rows: unknown[] }) => (err ? reject(err) : resolve(res.rows))),
    );
    expect(rows).toEqual([{ v: 'x' }]);
    expect((await prepared()).map((s) => s.statement)).toEqual(expect.arrayContaining(['select $1::int + $2::int as sum', 'select $1::text as v']));
  });

  it('passes queries without parameters through, including several statements at once', async () => {
    const before = (await prepared()).length;
    const results = (await client.query('select 1 as a; select 2 as b')) as unknown as { rows: unknown[] }[];
    expect(results.map((r) => r.rows)).toEqual([[{ a: 1 }], [{ b: 2 }]]);
    expect((await client.query({ text: 'select $1::int as n', values: [7] })).rows).toEqual([{ n: 7 }]);
    expect(await prepared()).toHaveLength(before);
  });

  it('reports a failing statement as an error and stays usable', async () => {
    await expect(client.query('select 1 / $1::int', [0])).rejects.toThrow(/division by zero/);
    expect((await client.query('select 1 / $1::int as q', [1])).rows).toEqual([{ q: 1 }]);
  });
});
