/**
 * GET /admin/analytics/* (decision 063). Field names are the contract's. Amounts are minor units per
 * currency; periods are UTC days or months, named by their first day (`2026-03-01`).
 */
import { z } from 'zod';
import { fromBeforeTo, ZFrom, ZTo } from './period.dto.ts';

export const analyticsIntervals = ['day', 'month'] as const;
export type AnalyticsInterval = (typeof analyticsIntervals)[number];

export const ZRangeQuery = z.object({ from: ZFrom.optional(), to: ZTo.optional() }).strict().superRefine(fromBeforeTo);
export type TRangeQuery = z.infer<typeof ZRangeQuery>;

export const ZSeriesQuery = z
  .object({ from: ZFrom.optional(), to: ZTo.optional(), interval: z.enum(analyticsIntervals).default('day') })
  .strict()
  .superRefine(fromBeforeTo);
export type TSeriesQuery = z.infer<typeof ZSeriesQuery>;

const ZCount = z.number().int();
const ZPeriod = z.iso.date().describe('First UTC day of the period');

export const ZOverview = z.object({
  users: z.object({ total: ZCount, new_7d: ZCount, new_30d: ZCount, active_7d: ZCount, active_30d: ZCount }),
  /** Net of refunds, per currency. */
  revenue_30d: z.array(z.object({ currency: z.string(), amount_minor: ZCount })),
  credits_30d: z.object({ granted: ZCount, spent: ZCount, expired: ZCount }),
  generations_30d: z.object({
    total: ZCount,
    completed: ZCount,
    failed: ZCount,
    cancelled: ZCount,
    /** completed / (completed + failed); 0 when none ended. */
    success_rate: z.number(),
    avg_duration_ms: ZCount,
  }),
  provider_cost_30d_usd: z.number(),
});
export type TOverview = z.infer<typeof ZOverview>;

export const ZRevenueRow = z.object({ period: ZPeriod, currency: z.string(), provider: z.string(), payments: ZCount, amount_minor: ZCount, refunds_minor: ZCount });
export const ZUsageRow = z.object({ period: ZPeriod, studio: z.string(), type: z.string(), generations: ZCount, outputs: ZCount, credits_spent: ZCount, active_users: ZCount });
export const ZProductCostRow = z.object({ product_id: z.uuid().nullable(), product_name: z.string().nullable(), generations: ZCount, credits_spent: ZCount, provider_cost_usd: z.number() });
export const ZCreditsRow = z.object({ period: ZPeriod, granted: ZCount, purchased: ZCount, spent: ZCount, refunded: ZCount, expired: ZCount });

export const ZRevenue = z.object({ data: z.array(ZRevenueRow) });
export const ZUsage = z.object({ data: z.array(ZUsageRow) });
export const ZProductCosts = z.object({ data: z.array(ZProductCostRow) });
export const ZCredits = z.object({ data: z.array(ZCreditsRow) });
export type TRevenueRow = z.infer<typeof ZRevenueRow>;
export type TUsageRow = z.infer<typeof ZUsageRow>;
export type TProductCostRow = z.infer<typeof ZProductCostRow>;
export type TCreditsRow = z.infer<typeof ZCreditsRow>;
