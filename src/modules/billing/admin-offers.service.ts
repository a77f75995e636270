/** Admin CRUD of credit packages and plans. Removing is deactivating: payments keep pointing at them. */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import type { Principal } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/errors.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
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
    features: b.features,
    providerPriceIds: b.provider_price_ids,
    isActive: b.is_active,
    sortOrder: b.sort_order,
  });
}

const adminPackage = (p: q.CreditPackageRow) => ({ ...packageView(p), is_active: p.isActive, sort_order: p.sortOrder, provider_price_ids: p.providerPriceIds as Record<string, string> });
const adminPlan = (p: q.PlanRow) => ({ ...planView(p), is_active: p.isActive, sort_order: p.sortOrder, provider_price_ids: p.providerPriceIds as Record<string, string> });

export function createAdminOffersService(deps: { db: Db; clock: Clock }) {
  async function write<T>(admin: Principal, meta: AdminMeta, action: string, targetType: string, work: (tx: Parameters<Parameters<Db['transaction']>[0]>[0]) => Promise<{ id: string; view: T }>, details: Record<string, unknown>) {
    return deps.db.transaction(async (tx) => {
      const { id, view } = await work(tx);
      await recordAudit(tx, { actorType: 'admin', actorId: admin.userId, action, targetType, targetId: id, details, ip: meta.ip, userAgent: meta.userAgent, at: deps.clock.now() });
      return view;
    });
  }

  return {
    listPackages: async () => ({ data: (await q.listAllPackages(deps.db)).map(adminPackage) }),
    listPlans: async () => ({ data: (await q.listAllPlans(deps.db)).map(adminPlan) }),

    createPackage: (admin: Principal, body: TCreatePackageBody, meta: AdminMeta) =>
      write(admin, meta, 'billing.package.create', 'credit_package', async (tx) => {
        const now = deps.clock.now();
        const row = await q.insertPackageIfFree(tx, { ...(packageFields(body) as Required<ReturnType<typeof packageFields>>), createdAt: now, updatedAt: now });
        if (!row) throw errors.conflict('A package with this name exists.');
        return { id: row.id, view: adminPackage(row) };
      }, body),

    patchPackage: (admin: Principal, id: string, body: TPatchPackageBody, meta: AdminMeta) =>
      write(admin, meta, 'billing.package.update', 'credit_package', async (tx) => {
        const row = await q.updatePackage(tx, id, { ...packageFields(body), updatedAt: deps.clock.now() });
        if (!row) throw errors.notFound('Package');
        return { id, view: adminPackage(row) };
      }, body),

    createPlan: (admin: Principal, body: TCreatePlanBody, meta: AdminMeta) =>
      write(admin, meta, 'billing.plan.create', 'plan', async (tx) => {
        const now = deps.clock.now();
        const row = await q.insertPlanIfFree(tx, { ...(planFields(body) as Required<ReturnType<typeof planFields>>), createdAt: now, updatedAt: now });
        if (!row) throw errors.conflict('A plan with this name exists.');
        return { id: row.id, view: adminPlan(row) };
      }, body),

    patchPlan: (admin: Principal, id: string, body: TPatchPlanBody, meta: AdminMeta) =>
      write(admin, meta, 'billing.plan.update', 'plan', async (tx) => {
        const row = await q.updatePlan(tx, id, { ...planFields(body), updatedAt: deps.clock.now() });
        if (!row) throw errors.notFound('Plan');
        return { id, view: adminPlan(row) };
      }, body),
  };
}

export type AdminOffersService = ReturnType<typeof createAdminOffersService>;
