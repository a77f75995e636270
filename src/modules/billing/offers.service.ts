/** Billing's offers as buyers see them: active credit packages and plans, and how they can pay. */
import type { Config } from '../../config.ts';
import type { Db } from '../../platform/db/types.ts';
import type { TPackage, TPlan } from './offers.dto.ts';
import * as q from './offers.queries.ts';
import type { PlanAudience } from './offers.tables.ts';
import type { PaymentProvider } from './payments.tables.ts';

/** The payment providers this server is configured for, in the order a checkout page offers them. */
export function enabledProviders(payments: Config['payments']): PaymentProvider[] {
  const out: PaymentProvider[] = [];
  if (payments.stripe) out.push('stripe');
  if (payments.zarinpal) out.push('zarinpal');
  if (payments.manual) out.push('manual');
  return out;
}

export function createOffersService(deps: { db: Db; config: Pick<Config, 'payments'> }) {
  return {
    providers: (): { providers: PaymentProvider[] } => ({ providers: enabledProviders(deps.config.payments) }),
    packages: async (): Promise<{ data: TPackage[] }> => ({ data: (await q.listActivePackages(deps.db)).map(packageView) }),
    plans: async (audience?: PlanAudience): Promise<{ data: TPlan[] }> => ({ data: (await q.listActivePlans(deps.db, audience)).map(planView) }),
  };
}
export type OffersService = ReturnType<typeof createOffersService>;

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
    upload_storage_mb: p.uploadStorageMb,
    uploads_per_hour: p.uploadsPerHour,
    features: p.features,
  };
}
