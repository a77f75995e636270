/**
 * Billing administration: credit adjustments and coupons. Every write leaves an audit row with the
 * target before and after, in the write's own transaction (decision 061).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import type { Principal } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/errors.ts';
import { createAdminWrite } from '../../platform/audit/admin-write.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { coupons } from './promotions.tables.ts';
import type { TAdjustCreditsBody, TCoupon, TCreateCouponBody, TPatchCouponBody } from './admin-billing.dto.ts';
import * as q from './credits.queries.ts';
import type { Ledger } from './ledger.ts';
import * as pq from './promotions.queries.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';

/** What the audit row of an admin write records of the request. */
export type AdminMeta = RequestMeta;

export function createAdminBillingService(deps: { db: Db; clock: Clock; ledger: Ledger }) {
  const write = createAdminWrite(deps);
  const audit = (tx: Parameters<typeof recordAudit>[0], admin: Principal, meta: AdminMeta, action: string, targetType: string, targetId: string, details: Record<string, unknown>) =>
    recordAudit(tx, { actorType: 'admin', actorId: admin.userId, action, targetType, targetId, details, ip: meta.ip, userAgent: meta.userAgent, at: deps.clock.now() });

  /** A signed `admin_adjustment`; taking more than the user has available is 402 and changes nothing. */
  async function adjustCredits(admin: Principal, userId: string, body: TAdjustCreditsBody, meta: AdminMeta) {
    return deps.db.transaction(async (tx) => {
      if (!(await q.userExists(tx, userId))) throw errors.notFound('User');
      const before = await q.getBalance(tx, userId);
      const { transaction } = await deps.ledger.apply(tx, {
        userId,
        type: 'admin_adjustment',
        amount: body.amount,
        idempotencyKey: `admin:${randomUUID()}`,
        description: body.reason,
        referenceType: 'admin',
        referenceId: admin.userId,
      });
      const balance = (await q.getBalance(tx, userId))!;
      await audit(tx, admin, meta, 'billing.credits.adjust', 'user', userId, {
        before: { available: before?.available ?? 0, held: before?.held ?? 0 },
        after: { available: balance.available, held: balance.held },
        request: body,
        transaction_id: transaction.id,
      });
      return { transaction_id: transaction.id, amount: body.amount, available: balance.available, held: balance.held };
    });
  }

  async function createCoupon(admin: Principal, body: TCreateCouponBody, meta: AdminMeta): Promise<TCoupon> {
    const now = deps.clock.now();
    return write(admin, meta, 'billing.coupon.create', { type: 'coupon', table: coupons }, body, async (tx) => {
      const row = await pq.insertCouponIfFree(tx, {
        code: body.code,
        type: body.type,
        value: body.value,
        currency: body.currency ?? null,
        maxUses: body.max_uses,
        perUserLimit: body.per_user_limit,
        validFrom: body.valid_from ? new Date(body.valid_from) : null,
        validUntil: body.valid_until ? new Date(body.valid_until) : null,
        isActive: body.is_active,
        description: body.description,
        createdAt: now,
        updatedAt: now,
      });
      if (!row) throw errors.conflict('A coupon with this code exists.');
      return { id: row.id, view: couponView(row) };
    });
  }

  async function listCoupons(limit: number): Promise<{ data: TCoupon[] }> {
    return { data: (await pq.listCoupons(deps.db, limit)).map(couponView) };
  }

  async function patchCoupon(admin: Principal, id: string, body: TPatchCouponBody, meta: AdminMeta): Promise<TCoupon> {
    return write(admin, meta, 'billing.coupon.update', { type: 'coupon', table: coupons, id }, body, async (tx) => {
      const row = await pq.updateCoupon(tx, id, {
        ...(body.is_active !== undefined ? { isActive: body.is_active } : {}),
        ...(body.max_uses !== undefined ? { maxUses: body.max_uses } : {}),
        ...(body.valid_until !== undefined ? { validUntil: body.valid_until ? new Date(body.valid_until) : null } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        updatedAt: deps.clock.now(),
      });
      if (!row) throw errors.notFound('Coupon');
      return { id, view: couponView(row) };
    });
  }

  return { adjustCredits, createCoupon, listCoupons, patchCoupon };
}

export type AdminBillingService = ReturnType<typeof createAdminBillingService>;

function couponView(c: pq.CouponRow): TCoupon {
  return {
    id: c.id,
    code: c.code,
    type: c.type,
    value: c.value,
    currency: c.currency,
    max_uses: c.maxUses,
    uses_count: c.usesCount,
    per_user_limit: c.perUserLimit,
    valid_from: c.validFrom?.toISOString() ?? null,
    valid_until: c.validUntil?.toISOString() ?? null,
    is_active: c.isActive,
    description: c.description,
    created_at: c.createdAt.toISOString(),
  };
}
