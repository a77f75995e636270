/**
 * docs/seeds.md names, for every seed table, the Atelier tables that keep it. This keeps those names
 * true: every table in its "Atelier" column (and in the closing list) must be a table of the
 * schema, and every table of the schema must be named somewhere on the page.
 * Real: the page and the drizzle schema (src/schema.ts). Stand-ins: none.
 */
import fs from 'node:fs';
import { getTableName, isTable } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as schema from '../../src/schema.ts';

const page = fs.readFileSync(new URL('../../docs/seeds.md', import.meta.url), 'utf8');
const schemaTables = new Set<string>(Object.values(schema).filter((v) => isTable(v)).map((t) => getTableName(t as never)));

/** Backticked names in the second column of the mapping tables, and in the last section. */
function namedTables(): Set<string> {
  const names = new Set<string>();
  for (const line of page.split('\n')) {
    if (!line.startsWith('|') || line.startsWith('|---')) continue;
    const atelier = line.split('|')[2] ?? '';
    for (const m of atelier.matchAll(/`([a-z_]+)`/g)) names.add(m[1]!);
  }
  const own = page.slice(page.indexOf("## Atelier's own tables"));
  for (const m of own.matchAll(/`([a-z_]+)`/g)) names.add(m[1]!);
  return names;
}

describe('docs/seeds.md', () => {
  it('names only tables the schema has', () => {
    const missing = [...namedTables()].filter((n) => !schemaTables.has(n));
    expect(missing).toEqual([]);
  });

  it('names every table the schema has', () => {
    const named = namedTables();
    expect([...schemaTables].filter((n) => !named.has(n)).sort()).toEqual([]);
  });
});
