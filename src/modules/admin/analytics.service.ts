/**
 * GET /admin/analytics/* (decision 063): the window and interval checked here, the sums made by the
 * database (analytics.queries.ts), the figures turned into the contract's numbers. Without `from`
 * and `to` a window is the 30 days up to now.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import { errors } from '../../platform/http/errors.ts';
import type { TCreditsRow, TOverview, TProductCostRow, TRangeQuery, TRevenueRow, TSeriesQuery, TUsageRow } from './analytics.dto.ts';
import * as q from './analytics.queries.ts';

const DAY_MS = 86_400_000;
/** A daily series longer than this would be thousands of rows nobody reads; months may span decades. */
const MAX_DAYS = { day: 731, month: 36_600 } as const;

const n = (v: string | number | null | undefined): number => (v === null || v === undefined ? 0 : Number(v));
const usd = (micros: string | number | null) => n(micros) / 1_000_000;

export function createAnalyticsService(deps: { db: Db; clock: Clock }) {
  function windowOf(query: TRangeQuery, interval: keyof typeof MAX_DAYS): q.Window {
    const to = query.to ?? (query.from ? new Date(query.from.getTime() + 30 * DAY_MS) : deps.clock.now());
    const from = query.from ?? new Date(to.getTime() - 30 * DAY_MS);
    if (from >= to) throw errors.validation([{ path: 'query.from', message: 'must be before to' }]);
    if (to.getTime() - from.getTime() > MAX_DAYS[interval] * DAY_MS) {
      throw errors.validation([{ path: 'query.to', message: `at most ${MAX_DAYS[interval]} days with interval=${interval}` }]);
    }
    return { from, to };
  }

  async function overview(): Promise<TOverview> {
    const now = deps.clock.now();
    const f = await q.overview(deps.db, now, new Date(now.getTime() - 7 * DAY_MS), new Date(now.getTime() - 30 * DAY_MS));
    const completed = n(f.generations.completed);
    const failed = n(f.generations.failed);
    return {
      users: { total: n(f.users.total), new_7d: n(f.users.new_7d), new_30d: n(f.users.new_30d), active_7d: n(f.users.active_7d), active_30d: n(f.users.active_30d) },
      revenue_30d: f.revenue.map((r) => ({ currency: r.currency, amount_minor: n(r.amount_minor) })),
      credits_30d: { granted: n(f.credits.granted), spent: n(f.credits.spent), expired: n(f.credits.expired) },
      generations_30d: {
        total: n(f.generations.total),
        completed,
        failed,
        cancelled: n(f.generations.cancelled),
        success_rate: completed + failed === 0 ? 0 : completed / (completed + failed),
        avg_duration_ms: n(f.generations.avg_duration_ms),
      },
      provider_cost_30d_usd: usd(f.generations.cost_micros),
    };
  }

  async function revenue(query: TSeriesQuery): Promise<{ data: TRevenueRow[] }> {
    const rows = await q.revenue(deps.db, windowOf(query, query.interval), query.interval);
    return {
      data: rows.map((r) => ({ period: r.period, currency: r.currency, provider: r.provider, payments: n(r.payments), amount_minor: n(r.amount_minor), refunds_minor: n(r.refunds_minor) })),
    };
  }

  async function usage(query: TSeriesQuery): Promise<{ data: TUsageRow[] }> {
    const rows = await q.usage(deps.db, windowOf(query, query.interval), query.interval);
    return {
      data: rows.map((r) => ({
        period: r.period,
        studio: r.studio,
        type: r.type,
        generations: n(r.generations),
        outputs: n(r.outputs),
        credits_spent: n(r.credits_spent),
        active_users: n(r.active_users),
      })),
    };
  }

  async function productCosts(query: TRangeQuery): Promise<{ data: TProductCostRow[] }> {
    const rows = await q.productCosts(deps.db, windowOf(query, 'month'));
    return {
      data: rows.map((r) => ({ product_id: r.product_id, product_name: r.product_name, generations: n(r.generations), credits_spent: n(r.credits_spent), provider_cost_usd: usd(r.cost_micros) })),
    };
  }

  async function credits(query: TSeriesQuery): Promise<{ data: TCreditsRow[] }> {
    const rows = await q.credits(deps.db, windowOf(query, query.interval), query.interval);
    return {
      data: rows.map((r) => ({ period: r.period, granted: n(r.granted), purchased: n(r.purchased), spent: n(r.spent), refunded: n(r.refunded), expired: n(r.expired) })),
    };
  }

  return { overview, revenue, usage, productCosts, credits };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
