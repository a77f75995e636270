/**
 * The analytics, summed by the database (decision 063): one GROUP BY per answer over a time window
 * the indexes on `created_at` / `completed_at` narrow. Periods are `date_trunc` of the UTC time, so a
 * day is a UTC day whatever the server's zone. Counts come back as bigint (a string on node-postgres)
 * and are turned into numbers by the service.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../platform/db/types.ts';
import { users } from '../accounts/index.ts';
import { creditTransactions, payments, refunds } from '../billing/index.ts';
import { products } from '../catalog/index.ts';
import { generations } from '../generation/index.ts';
import type { AnalyticsInterval } from './analytics.dto.ts';

/** A figure as a driver returns it: bigint and numeric sums are strings on node-postgres. */
type Figure = string | number | null;

export interface Window {
  from: Date;
  to: Date;
}

/**
 * What each credit figure sums (decision 063). `granted` is credit given (sign-up, bonuses, coupons,
 * gift cards, admin adjustments net); `purchased` credit paid for; spent, refunded and expired are
 * shown as positive numbers.
 */
export const creditGroups = {
  granted: ['signup_bonus', 'bonus', 'coupon', 'gift_card', 'admin_adjustment'],
  purchased: ['purchase', 'subscription_grant'],
  spent: ['usage', 'training'],
  refunded: ['refund'],
  expired: ['expiration'],
} as const;

const inList = (column: PgColumn, values: readonly string[]) => sql`${column} in (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
const periodOf = (column: PgColumn, unit: AnalyticsInterval) => sql`to_char(date_trunc(${unit}, ${column} at time zone 'UTC'), 'YYYY-MM-DD')`;
const between = (column: PgColumn, w: Window) => sql`${column} >= ${w.from.toISOString()}::timestamptz and ${column} < ${w.to.toISOString()}::timestamptz`;

async function rows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

export interface RevenueFigures {
  period: string;
  currency: string;
  provider: string;
  payments: Figure;
  amount_minor: Figure;
  refunds_minor: Figure;
}

/**
 * Money that came in, by when it came in (`completed_at`: every payment that completed, including
 * those refunded since), beside money that went back, by when it went back (each refund row's
 * `refunded_at`: partial refunds and lost disputes included). A period, currency and provider with
 * only refunds has a row with 0 payments.
 */
export const revenue = (db: DbOrTx, w: Window, unit: AnalyticsInterval) =>
  rows<RevenueFigures>(
    db,
    sql`with paid as (
          select ${periodOf(payments.completedAt, unit)} as period, ${payments.currency} as currency, ${payments.provider} as provider,
                 count(*) as payments, sum(${payments.amountMinor}) as amount_minor
            from ${payments}
           where ${payments.completedAt} is not null and ${payments.status} in ('completed', 'refunded') and ${between(payments.completedAt, w)}
           group by 1, 2, 3
        ), back as (
          select ${periodOf(refunds.refundedAt, unit)} as period, ${refunds.currency} as currency, ${refunds.provider} as provider,
                 sum(${refunds.amountMinor}) as refunds_minor
            from ${refunds}
           where ${refunds.status} = 'succeeded' and ${refunds.refundedAt} is not null and ${between(refunds.refundedAt, w)}
           group by 1, 2, 3
        )
        select period, currency, provider, coalesce(paid.payments, 0) as payments, coalesce(paid.amount_minor, 0) as amount_minor,
               coalesce(back.refunds_minor, 0) as refunds_minor
          from paid full outer join back using (period, currency, provider)
         order by 1, 2, 3`,
  );

export interface UsageFigures {
  period: string;
  studio: string;
  type: string;
  generations: Figure;
  outputs: Figure;
  credits_spent: Figure;
  active_users: Figure;
}

/**
 * Generations by when they were asked for. Outputs delivered are what was charged: credits used over
 * the price per output (a training delivers what was asked), or the outputs asked for of a free
 * completed generation.
 */
export const usage = (db: DbOrTx, w: Window, unit: AnalyticsInterval) =>
  rows<UsageFigures>(
    db,
    sql`select ${periodOf(generations.createdAt, unit)} as period, ${generations.studio} as studio, ${generations.type} as type,
               count(*) as generations,
               coalesce(sum(case when ${generations.creditsPerOutput} > 0 then ${generations.creditsUsed} / ${generations.creditsPerOutput} else ${generations.numOutputs} end)
                 filter (where ${generations.status} = 'completed'), 0) as outputs,
               sum(${generations.creditsUsed}) as credits_spent, count(distinct ${generations.userId}) as active_users
          from ${generations}
         where ${between(generations.createdAt, w)}
         group by 1, 2, 3 order by 1, 2, 3`,
  );

export interface ProductCostFigures {
  product_id: string | null;
  product_name: string | null;
  generations: Figure;
  credits_spent: Figure;
  cost_micros: Figure;
}

/** Per catalog product (null: generations of no product), dearest first. */
export const productCosts = (db: DbOrTx, w: Window) =>
  rows<ProductCostFigures>(
    db,
    sql`select ${generations.productId} as product_id, ${products.name} as product_name, count(*) as generations,
               sum(${generations.creditsUsed}) as credits_spent, sum(${generations.apiCostMicros}) as cost_micros
          from ${generations} left join ${products} on ${products.id} = ${generations.productId}
         where ${between(generations.createdAt, w)}
         group by ${generations.productId}, ${products.name}
         order by cost_micros desc, generations desc, product_id nulls last`,
  );

export interface CreditFigures {
  period: string;
  granted: Figure;
  purchased: Figure;
  spent: Figure;
  refunded: Figure;
  expired: Figure;
}

export const credits = (db: DbOrTx, w: Window, unit: AnalyticsInterval) => {
  const t = creditTransactions;
  const sumOf = (types: readonly string[], sign: 1 | -1) => sql`coalesce(sum(${sign === 1 ? t.amount : sql`-${t.amount}`}) filter (where ${inList(t.type, types)}), 0)`;
  return rows<CreditFigures>(
    db,
    sql`select ${periodOf(t.createdAt, unit)} as period,
               ${sumOf(creditGroups.granted, 1)} as granted, ${sumOf(creditGroups.purchased, 1)} as purchased,
               ${sumOf(creditGroups.spent, -1)} as spent, ${sumOf(creditGroups.refunded, 1)} as refunded, ${sumOf(creditGroups.expired, -1)} as expired
          from ${t}
         where ${between(t.createdAt, w)}
         group by 1 order by 1`,
  );
};

export interface OverviewFigures {
  users: { total: Figure; new_7d: Figure; new_30d: Figure; active_7d: Figure; active_30d: Figure };
  revenue: Array<{ currency: string; amount_minor: Figure }>;
  credits: { granted: Figure; spent: Figure; expired: Figure };
  generations: { total: Figure; completed: Figure; failed: Figure; cancelled: Figure; avg_duration_ms: Figure; cost_micros: Figure };
}

/**
 * The last 7 and 30 days before `now`. Active: asked for a generation or signed in within the window.
 * Revenue is net: payments completed in the window less refunds made in it.
 */
export async function overview(db: DbOrTx, now: Date, d7: Date, d30: Date): Promise<OverviewFigures> {
  // Up to and including this instant.
  const last30: Window = { from: d30, to: new Date(now.getTime() + 1) };
  const [u] = await rows<OverviewFigures['users']>(
    db,
    sql`select (select count(*) from ${users}) as total,
               (select count(*) from ${users} where ${users.createdAt} >= ${d7.toISOString()}::timestamptz) as new_7d,
               (select count(*) from ${users} where ${users.createdAt} >= ${d30.toISOString()}::timestamptz) as new_30d,
               count(distinct uid) filter (where at >= ${d7.toISOString()}::timestamptz) as active_7d,
               count(distinct uid) as active_30d
          from (select ${generations.userId} as uid, ${generations.createdAt} as at from ${generations} where ${between(generations.createdAt, last30)}
                union all
                select ${users.id}, ${users.lastLoginAt} from ${users} where ${between(users.lastLoginAt, last30)}) active`,
  );
  // Net: what came in over the window less what went back over it (decision 063).
  const revenue = await rows<OverviewFigures['revenue'][number]>(
    db,
    sql`select currency, sum(amount) as amount_minor
          from (select ${payments.currency} as currency, ${payments.amountMinor} as amount from ${payments}
                 where ${payments.status} in ('completed', 'refunded') and ${payments.completedAt} is not null and ${between(payments.completedAt, last30)}
                union all
                select ${refunds.currency}, -${refunds.amountMinor} from ${refunds}
                 where ${refunds.status} = 'succeeded' and ${refunds.refundedAt} is not null and ${between(refunds.refundedAt, last30)}) money
         group by 1 order by 1`,
  );
  const t = creditTransactions;
  const [c] = await rows<OverviewFigures['credits']>(
    db,
    sql`select coalesce(sum(${t.amount}) filter (where ${inList(t.type, [...creditGroups.granted, ...creditGroups.purchased])}), 0) as granted,
               coalesce(sum(-${t.amount}) filter (where ${inList(t.type, creditGroups.spent)}), 0) as spent,
               coalesce(sum(-${t.amount}) filter (where ${inList(t.type, creditGroups.expired)}), 0) as expired
          from ${t} where ${between(t.createdAt, last30)}`,
  );
  const g = generations;
  const [gen] = await rows<OverviewFigures['generations']>(
    db,
    sql`select count(*) as total,
               count(*) filter (where ${g.status} = 'completed') as completed,
               count(*) filter (where ${g.status} = 'failed') as failed,
               count(*) filter (where ${g.status} = 'cancelled') as cancelled,
               coalesce(round(avg(${g.generationDurationMs}) filter (where ${g.status} = 'completed')), 0) as avg_duration_ms,
               coalesce(sum(${g.apiCostMicros}), 0) as cost_micros
          from ${g} where ${between(g.createdAt, last30)}`,
  );
  return { users: u!, revenue, credits: c!, generations: gen! };
}
