import { and, asc, desc, eq, exists, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/types.ts';
import { categories, templateCategories, templateMetrics, templates } from './catalog.tables.ts';

export type TemplateRow = typeof templates.$inferSelect;
export type NewTemplate = typeof templates.$inferInsert;
export type CategoryRow = typeof categories.$inferSelect;
export type NewCategory = typeof categories.$inferInsert;
export type MetricRow = typeof templateMetrics.$inferSelect;
export type NewMetric = typeof templateMetrics.$inferInsert;

export interface TemplateFilter {
  category?: string;
  industry?: string;
  style?: string;
  campaignType?: string;
  featured?: boolean;
  /** Admins see inactive templates too. */
  includeInactive?: boolean;
}

export async function listTemplates(db: DbOrTx, f: TemplateFilter): Promise<TemplateRow[]> {
  const inCategory = f.category
    ? exists(
        db
          .select({ one: templateCategories.templateId })
          .from(templateCategories)
          .innerJoin(categories, eq(categories.id, templateCategories.categoryId))
          .where(and(eq(templateCategories.templateId, templates.id), eq(categories.slug, f.category))),
      )
    : undefined;
  return db
    .select()
    .from(templates)
    .where(
      and(
        f.includeInactive ? undefined : eq(templates.isActive, true),
        f.industry ? eq(templates.industry, f.industry) : undefined,
        f.style ? eq(templates.style, f.style) : undefined,
        f.campaignType ? eq(templates.campaignType, f.campaignType) : undefined,
        f.featured === undefined ? undefined : eq(templates.isFeatured, f.featured),
        inCategory,
      ),
    )
    .orderBy(desc(templates.isFeatured), asc(templates.name))
    .limit(500);
}

export async function findTemplate(db: DbOrTx, id: string, opts: { includeInactive?: boolean } = {}): Promise<TemplateRow | undefined> {
  const [row] = await db
    .select()
    .from(templates)
    .where(and(eq(templates.id, id), opts.includeInactive ? undefined : eq(templates.isActive, true)));
  return row;
}

export async function insertTemplate(db: DbOrTx, row: NewTemplate): Promise<TemplateRow | undefined> {
  const [created] = await db.insert(templates).values(row).onConflictDoNothing().returning();
  return created;
}

export async function updateTemplate(db: DbOrTx, id: string, patch: Partial<NewTemplate>): Promise<TemplateRow | undefined> {
  const [row] = await db.update(templates).set(patch).where(eq(templates.id, id)).returning();
  return row;
}

export async function deleteTemplate(db: DbOrTx, id: string): Promise<boolean> {
  return (await db.delete(templates).where(eq(templates.id, id)).returning({ id: templates.id })).length > 0;
}

export async function categorySlugsOf(db: DbOrTx, templateIds: string[]): Promise<Array<{ templateId: string; slug: string }>> {
  if (templateIds.length === 0) return [];
  return db
    .select({ templateId: templateCategories.templateId, slug: categories.slug })
    .from(templateCategories)
    .innerJoin(categories, eq(categories.id, templateCategories.categoryId))
    .where(inArray(templateCategories.templateId, templateIds))
    .orderBy(asc(categories.sortOrder), asc(categories.slug));
}

export async function categoriesBySlug(db: DbOrTx, slugs: string[]): Promise<CategoryRow[]> {
  if (slugs.length === 0) return [];
  return db.select().from(categories).where(inArray(categories.slug, slugs));
}

export async function setTemplateCategories(db: DbOrTx, templateId: string, categoryIds: string[]): Promise<void> {
  await db.delete(templateCategories).where(eq(templateCategories.templateId, templateId));
  if (categoryIds.length > 0) await db.insert(templateCategories).values(categoryIds.map((categoryId) => ({ templateId, categoryId })));
}

export const listCategories = (db: DbOrTx) => db.select().from(categories).orderBy(asc(categories.sortOrder), asc(categories.slug));

export async function insertCategory(db: DbOrTx, row: NewCategory): Promise<CategoryRow | undefined> {
  const [created] = await db.insert(categories).values(row).onConflictDoNothing().returning();
  return created;
}

export async function updateCategory(db: DbOrTx, id: string, patch: Partial<NewCategory>): Promise<CategoryRow | undefined> {
  const [row] = await db.update(categories).set(patch).where(eq(categories.id, id)).returning();
  return row;
}

export async function deleteCategory(db: DbOrTx, id: string): Promise<boolean> {
  return (await db.delete(categories).where(eq(categories.id, id)).returning({ id: categories.id })).length > 0;
}

export const listMetrics = (db: DbOrTx, templateId: string) =>
  db.select().from(templateMetrics).where(eq(templateMetrics.templateId, templateId)).orderBy(desc(templateMetrics.recordedAt), desc(templateMetrics.id)).limit(500);

/** A measurement of that template; undefined when it is not one. */
export async function updateMetric(db: DbOrTx, templateId: string, id: string, patch: Partial<NewMetric>): Promise<MetricRow | undefined> {
  const [row] = await db
    .update(templateMetrics)
    .set(patch)
    .where(and(eq(templateMetrics.id, id), eq(templateMetrics.templateId, templateId)))
    .returning();
  return row;
}

export async function insertMetric(db: DbOrTx, row: NewMetric): Promise<MetricRow> {
  const [created] = await db.insert(templateMetrics).values(row).returning();
  return created!;
}
