/**
 * The writes of a preset. Each catalogue table is written one of two ways (apply.ts says when):
 * `addAbsent` inserts the rows whose key is not there yet and touches nothing else, so an admin's
 * edit survives and a second run changes nothing; `setExactly` makes the table hold the preset's
 * rows as the preset defines them and deactivates the rest (fresh installations only).
 */
import { and, count, eq, getTableColumns, inArray, notInArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx, Tx } from '../platform/db/types.ts';
import { categories, creditPackages, generationPrices, plans, styles, templateCategories, templateMetrics, templates, users } from '../schema.ts';
import type { Catalogue, TemplateSeed } from './catalogue/types.ts';
import { installationSettings } from './installation.tables.ts';

export type Mode = 'add-absent' | 'set-exactly';

export async function accountCount(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

export async function recordedPreset(db: DbOrTx): Promise<string | null> {
  const [row] = await db.select({ value: installationSettings.value }).from(installationSettings).where(eq(installationSettings.key, 'preset'));
  return row?.value.name ?? null;
}

export async function recordPreset(tx: Tx, name: string, now: Date): Promise<void> {
  const value = { name, applied_at: now.toISOString() };
  await tx
    .insert(installationSettings)
    .values({ key: 'preset', value, updatedAt: now })
    .onConflictDoUpdate({ target: installationSettings.key, set: { value, updatedAt: now } });
}

/** The column's name in the database: the schema's keys are camelCase, its columns snake_case. */
const dbName = (column: PgColumn): string =>
  column.keyAsName ? column.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : column.name;

/** `excluded.<column>` for every column but the id and creation time: "become the preset's row". */
function fromExcluded(table: PgTable, now: Date): Record<string, SQL | Date | boolean> {
  const set: Record<string, SQL | Date | boolean> = {};
  for (const [key, column] of Object.entries(getTableColumns(table) as Record<string, PgColumn>)) {
    if (key === 'id' || key === 'createdAt') continue;
    set[key] = sql`excluded.${sql.identifier(dbName(column))}`;
  }
  if ('isActive' in set) set.isActive = true;
  set.updatedAt = now;
  return set;
}

interface Keyed {
  table: PgTable;
  key: PgColumn;
  hasActive: boolean;
}

async function write<Row extends Record<string, unknown>>(tx: Tx, t: Keyed, rows: Row[], keyOf: (r: Row) => string, mode: Mode, now: Date): Promise<number> {
  if (mode === 'set-exactly' && t.hasActive) {
    const keys = rows.map(keyOf);
    const others = keys.length > 0 ? notInArray(t.key, keys) : sql`true`;
    await tx.update(t.table).set({ isActive: false, updatedAt: now } as never).where(others);
  }
  if (rows.length === 0) return 0;
  const insert = tx.insert(t.table).values(rows as never);
  const done =
    mode === 'set-exactly'
      ? await insert.onConflictDoUpdate({ target: t.key, set: fromExcluded(t.table, now) as never }).returning({ k: t.key })
      : await insert.onConflictDoNothing({ target: t.key }).returning({ k: t.key });
  return done.length;
}

export interface WriteCounts {
  packages: number;
  plans: number;
  styles: number;
  categories: number;
  templates: number;
  prices: number;
}

export async function writeCatalogue(tx: Tx, c: Catalogue, mode: Mode, now: Date): Promise<WriteCounts> {
  const templateRows = c.templates.map(({ categories: _slugs, metrics: _metrics, ...row }: TemplateSeed) => row);
  const counts: WriteCounts = {
    packages: await write(tx, { table: creditPackages, key: creditPackages.name, hasActive: true }, c.packages, (r) => r.name, mode, now),
    plans: await write(tx, { table: plans, key: plans.name, hasActive: true }, c.plans, (r) => r.name, mode, now),
    styles: await write(tx, { table: styles, key: styles.key, hasActive: true }, c.styles, (r) => r.key, mode, now),
    categories: await write(tx, { table: categories, key: categories.slug, hasActive: false }, c.categories, (r) => r.slug, mode, now),
    templates: await write(tx, { table: templates, key: templates.name, hasActive: true }, templateRows, (r) => r.name, mode, now),
    // Prices of types the preset does not offer stay as they are: the studio decides what is offered.
    prices: await write(tx, { table: generationPrices, key: generationPrices.type, hasActive: false }, c.prices, (r) => r.type, mode, now),
  };
  if (mode === 'set-exactly') {
    // Categories have no active flag: a fresh installation drops the ones its product does not list.
    const slugs = c.categories.map((r) => r.slug);
    await tx.delete(categories).where(slugs.length > 0 ? notInArray(categories.slug, slugs) : sql`true`);
  }
  await linkTemplates(tx, c.templates);
  return counts;
}

/** Each template under its categories, once; a link an admin removed from an existing template stays removed. */
async function linkTemplates(tx: Tx, seeds: TemplateSeed[]): Promise<void> {
  if (seeds.length === 0) return;
  const slugs = [...new Set(seeds.flatMap((s) => s.categories))];
  const found = await tx.select({ id: templates.id, name: templates.name }).from(templates).where(inArray(templates.name, seeds.map((s) => s.name)));
  const cats = slugs.length > 0 ? await tx.select({ id: categories.id, slug: categories.slug }).from(categories).where(inArray(categories.slug, slugs)) : [];
  const catId = new Map(cats.map((c) => [c.slug, c.id]));
  const linked = new Set((await tx.select({ t: templateCategories.templateId }).from(templateCategories).where(inArray(templateCategories.templateId, found.map((f) => f.id)))).map((r) => r.t));
  const links = found
    .filter((t) => !linked.has(t.id))
    .flatMap((t) => (seeds.find((s) => s.name === t.name)?.categories ?? []).flatMap((slug) => (catId.has(slug) ? [{ templateId: t.id, categoryId: catId.get(slug)! }] : [])));
  if (links.length > 0) await tx.insert(templateCategories).values(links).onConflictDoNothing();
}

/** A first metrics row for each seeded template that has metrics and none recorded yet. */
export async function addFirstMetrics(tx: Tx, seeds: TemplateSeed[], now: Date): Promise<void> {
  const metrics = new Map(seeds.flatMap((s) => (s.metrics ? [[s.name, s.metrics] as const] : [])));
  if (metrics.size === 0) return;
  const fresh = await tx
    .select({ id: templates.id, name: templates.name })
    .from(templates)
    .where(and(inArray(templates.name, [...metrics.keys()]), sql`not exists (select 1 from ${templateMetrics} m where m.template_id = ${templates.id})`));
  if (fresh.length === 0) return;
  await tx.insert(templateMetrics).values(
    fresh.map((r) => {
      const m = metrics.get(r.name)!;
      return { templateId: r.id, ctr: m.ctr, conversionRate: m.conversionRate, impressions: m.impressions, engagementRate: m.ctr * 2.4, recordedAt: now };
    }),
  );
}
