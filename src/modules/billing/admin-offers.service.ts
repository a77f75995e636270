/** Admin CRUD of credit packages and plans. Removing is deactivating: payments keep pointing at them. */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import type { Principal } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/errors.ts';
import { createAdminWrite } from '../../platform/audit/admin-write.ts';
import { creditPackages, plans } from './offers.tables.ts';
import type { TCreatePackageBody, TCreatePlanBody, TPatchPackageBody, TPatchPlanBody } from './admin-offers.dto.ts';
import type { AdminMeta } from './admin-billing.service.ts';
import * as q from './offers.queries.ts';
import { packageView, planView } from './offers.service.ts';
import { defined } from '../../platform/defined.ts';

function packageFields(b: TPatchPackageBody & { name?: string }) {
  return defined({
    name: b.name,
    description: b.description,
    credits: b.credits,
    amountMinor: b.amount_minor,
    currency: b.currency,
    isFeatured: b.is_featured,
    isActive: b.is_active,
    sortOrder: b.sort_order,
    creditsValidDays: b.credits_valid_days,
    providerPriceIds: b.provider_price_ids,
  });
}

function planFields(b: TPatchPlanBody & { name?: string }) {
  return defined({
    name: b.name,
    displayName: b.display_name,
    description: b.description,
    audience: b.audience,
    amountMinor: b.amount_minor,
    currency: b.currency,
    billingPeriod: b.billing_period,
    creditsPerPeriod: b.credits_per_period,
    conversionLimit: b.conversion_limit,
    galleryLimit: b.gallery_limit,
    hasWatermark: b.has_watermark,
    retentionDays: b.retention_days,
    uploadRetentionDays: b.upload_retention_days,
    uploadStorageMb: b.upload_storage_mb,
    uploadsPerHour: b.uploads_per_hour,
    features: b.features,
    providerPriceIds: b.provider_price_ids,
    isActive: b.is_active,
    sortOrder: b.sort_order,
  });
}

const adminPackage = (p: q.CreditPackageRow) => ({ ...packageView(p), is_active: p.isActive, sort_order: p.sortOrder, provider_price_ids: p.providerPriceIds as Record<string, string> });
const adminPlan = (p: q.PlanRow) => ({ ...planView(p), is_active: p.isActive, sort_order: p.sortOrder, provider_price_ids: p.providerPriceIds as Record<string, string> });

export function createAdminOffersService(deps: { db: Db; clock: Clock }) {
  const write = createAdminWrite(deps);

  return {
    listPackages: async () => ({ data: (await q.listAllPackages(deps.db)).map(adminPackage) }),
    listPlans: async () => ({ data: (await q.listAllPlans(deps.db)).map(adminPlan) }),

    createPackage: (admin: Principal, body: TCreatePackageBody, meta: AdminMeta) =>
      write(admin, meta, 'billing.package.create', { type: 'credit_package', table: creditPackages }, body, async (tx) => {
        const now = deps.clock.now();
        const row = await q.insertPackageIfFree(tx, { ...(packageFields(body) as Required<ReturnType<typeof packageFields>>), createdAt: now, updatedAt: now });
        if (!row) throw errors.conflict('A package with this name exists.');
        return { id: row.id, view: adminPackage(row) };
      }),

    patchPackage: (admin: Principal, id: string, body: TPatchPackageBody, meta: AdminMeta) =>
      write(admin, meta, 'billing.package.update', { type: 'credit_package', table: creditPackages, id }, body, async (tx) => {
        const row = await q.updatePackage(tx, id, { ...packageFields(body), updatedAt: deps.clock.now() });
        if (!row) throw errors.notFound('Package');
        return { id, view: adminPackage(row) };
      }),

    createPlan: (admin: Principal, body: TCreatePlanBody, meta: AdminMeta) =>
      write(admin, meta, 'billing.plan.create', { type: 'plan', table: plans }, body, async (tx) => {
        const now = deps.clock.now();
        const row = await q.insertPlanIfFree(tx, { ...(planFields(body) as Required<ReturnType<typeof planFields>>), createdAt: now, updatedAt: now });
        if (!row) throw errors.conflict('A plan with this name exists.');
        return { id: row.id, view: adminPlan(row) };
      }),

    patchPlan: (admin: Principal, id: string, body: TPatchPlanBody, meta: AdminMeta) =>
      write(admin, meta, 'billing.plan.update', { type: 'plan', table: plans, id }, body, async (tx) => {
        const row = await q.updatePlan(tx, id, { ...planFields(body), updatedAt: deps.clock.now() });
        if (!row) throw errors.notFound('Plan');
        return { id, view: adminPlan(row) };
      }),
  };
}

export type AdminOffersService = ReturnType<typeof createAdminOffersService>;
