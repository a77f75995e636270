/**
 * What a preset writes into the database, typed by the tables it lands in, so a renamed column is a
 * type error here rather than a silently missing row. Rows are matched by their stable key (a
 * plan's or package's `name`, a style's `key`, a category's `slug`, a template's `name`, a price's
 * `type`): that key is how `apply.ts` tells "absent" from "already there, perhaps edited".
 */
import type { categories, creditPackages, generationPrices, plans, styles, templates } from '../../schema.ts';

type Seed<Row, Key extends keyof Row> = Required<Pick<Row, Key>> & Omit<Row, 'id' | 'createdAt' | 'updatedAt' | 'isActive' | Key>;

export type PackageSeed = Seed<typeof creditPackages.$inferInsert, 'name' | 'credits' | 'amountMinor' | 'currency' | 'sortOrder'>;
export type PlanSeed = Seed<
  typeof plans.$inferInsert,
  'name' | 'displayName' | 'audience' | 'amountMinor' | 'currency' | 'billingPeriod' | 'creditsPerPeriod' | 'hasWatermark' | 'features' | 'sortOrder'
>;
export type StyleSeed = Seed<typeof styles.$inferInsert, 'key' | 'name' | 'kind' | 'studio' | 'prompt' | 'sortOrder'>;
export type CategorySeed = Seed<typeof categories.$inferInsert, 'slug' | 'name' | 'sortOrder'>;
export type TemplateSeed = Seed<typeof templates.$inferInsert, 'name' | 'width' | 'height' | 'layout'> & {
  /** Slugs of the categories the template is listed under. */
  categories: string[];
  /** The reference performance the template is first listed with (the template browser sorts by it). */
  metrics?: { ctr: number; conversionRate: number; impressions: number };
};
export type PriceSeed = Seed<typeof generationPrices.$inferInsert, 'type' | 'creditsPerOutput'>;

export interface Catalogue {
  packages: PackageSeed[];
  plans: PlanSeed[];
  styles: StyleSeed[];
  categories: CategorySeed[];
  templates: TemplateSeed[];
  prices: PriceSeed[];
}

/**
 * A user plan as the seeds describe them: without a price it is the free plan of its audience
 * (no period, no credits), with one it renews monthly; conversion and gallery limits are off unless
 * given, upload bounds on.
 */
export function plan(
  p: Pick<PlanSeed, 'name' | 'displayName' | 'description' | 'currency' | 'amountMinor' | 'hasWatermark' | 'retentionDays' | 'uploadRetentionDays' | 'features' | 'sortOrder'> &
    Partial<PlanSeed>,
): PlanSeed {
  const free = p.amountMinor === 0;
  // Upload bounds (decision 110): a free plan holds 1 GiB of uploads and takes 120 an hour, a paid one ten times and five times that.
  return { audience: 'user', billingPeriod: free ? 'none' : 'month', creditsPerPeriod: 0, conversionLimit: null, galleryLimit: null, uploadStorageMb: free ? 1024 : 10_240, uploadsPerHour: free ? 120 : 600, ...p };
}

export const emptyCatalogue: Catalogue = { packages: [], plans: [], styles: [], categories: [], templates: [], prices: [] };
