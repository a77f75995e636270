/** The catalogue as buyers see it: active credit packages and plans. */
import type { Db } from '../../platform/db/types.ts';
import type { TPackage, TPlan } from './catalogue.dto.ts';
import * as q from './catalogue.queries.ts';
import type { PlanAudience } from './catalogue.tables.ts';

export function createCatalogueService(deps: { db: Db }) {
  return {
    packages: async (): Promise<{ data: TPackage[] }> => ({ data: (await q.listActivePackages(deps.db)).map(packageView) }),
    plans: async (audience?: PlanAudience): Promise<{ data: TPlan[] }> => ({ data: (await q.listActivePlans(deps.db, audience)).map(planView) }),
  };
}
export type CatalogueService = ReturnType<typeof createCatalogueService>;

export function packageView(p: q.CreditPackageRow): TPackage {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    credits: p.credits,
    amount_minor: p.amountMinor,
    currency: p.currency,
    is_featured: p.isFeatured,
    credits_valid_days: p.creditsValidDays,
  };
}

export function planView(p: q.PlanRow): TPlan {
  return {
    id: p.id,
    name: p.name,
    display_name: p.displayName,
    description: p.description,
    audience: p.audience,
    amount_minor: p.amountMinor,
    currency: p.currency,
    billing_period: p.billingPeriod,
    credits_per_period: p.creditsPerPeriod,
    conversion_limit: p.conversionLimit,
    gallery_limit: p.galleryLimit,
    has_watermark: p.hasWatermark,
    retention_days: p.retentionDays,
    upload_retention_days: p.uploadRetentionDays,
    features: p.features,
  };
}
