/**
 * The admin analytics at size (decision 063): 100k generations, 1M ledger rows and 50k payments
 * spread over a year, made with generate_series, then each analytics answer timed (median of a few
 * runs) against a plain `select count(*)` over the table it sums, measured in the same run. A ratio
 * near or below 1 means the GROUP BY costs about one pass over the rows; a window of 30 days reads
 * only the rows the index on the time column finds.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { createAnalyticsService } from '../src/modules/admin/index.ts';
import type { Database } from '../src/platform/db/database.ts';

const GENERATIONS = 100_000;
const LEDGER_ROWS = 1_000_000;
const PAYMENTS = 50_000;

async function median(fn: () => Promise<unknown>, runs = 5): Promise<number> {
  await fn(); // warm-up: plans and caches
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

async function fill(database: Database): Promise<void> {
  const { db } = database;
  await db.execute(sql`insert into users (email, created_at) select 'analytics-bench-' || i || '@example.com', now() - (i % 365) * interval '1 day' from generate_series(1, 1000) i`);
  await db.execute(sql`
    insert into generations (user_id, studio, type, status, provider, num_outputs, credits_per_output, credits_reserved, credits_used, api_cost_micros, generation_duration_ms, deadline_at, created_at, completed_at)
    select u.id, (array['product-shots','print-prep','headshots','style-studio'])[1 + i % 4], (array['background_removal','upscale','headshot','style_conversion','vectorize'])[1 + i % 5],
           (array['completed','completed','completed','failed','cancelled'])[1 + i % 5], 'local', 1 + i % 4, 1, 1 + i % 4, case when i % 5 < 3 then 1 + i % 4 else 0 end,
           (i % 97) * 100, 500 + i % 20000, now(), now() - (i % 525600) * interval '1 minute', now() - (i % 525600) * interval '1 minute'
      from generate_series(1, ${GENERATIONS}) i
      join (select id, row_number() over () as n from users where email like 'analytics-bench-%') u on u.n = 1 + i % 1000`);
  await db.execute(sql`
    insert into credit_transactions (user_id, type, amount, balance_before, balance_after, idempotency_key, created_at)
    select null, t.type, case when t.type in ('usage','training','expiration') then -(1 + i % 50) else 1 + i % 50 end, 0, 0, 'bench:' || i,
           now() - (i % 525600) * interval '1 minute'
      from generate_series(1, ${LEDGER_ROWS}) i
      join (select type, row_number() over () - 1 as n from unnest(array['purchase','subscription_grant','signup_bonus','bonus','coupon','gift_card','usage','usage','usage','training','refund','expiration','admin_adjustment']) type) t on t.n = i % 13`);
  await db.execute(sql`
    insert into payments (purpose, provider, amount_minor, currency, credits, status, created_at, completed_at)
    select 'package', (array['stripe','zarinpal','manual'])[1 + i % 3], 100 + i % 10000, (array['USD','EUR'])[1 + i % 2], 10,
           (array['completed','completed','refunded','pending'])[1 + i % 4], now() - (i % 525600) * interval '1 minute',
           case when i % 4 < 3 then now() - (i % 525600) * interval '1 minute' else null end
      from generate_series(1, ${PAYMENTS}) i`);
  await db.execute(sql`analyze`);
}

export async function analyticsBench(database: Database): Promise<string[]> {
  const started = performance.now();
  await fill(database);
  const lines = [`[${database.kind}] analytics: ${GENERATIONS / 1000}k generations, ${LEDGER_ROWS / 1_000_000}M ledger rows, ${PAYMENTS / 1000}k payments made in ${((performance.now() - started) / 1000).toFixed(0)} s`];
  const analytics = createAnalyticsService({ db: database.db, clock: { now: () => new Date() } });
  const count = (table: string) => () => database.db.execute(sql.raw(`select count(*) from ${table}`));
  const baselines = {
    generations: await median(count('generations')),
    credit_transactions: await median(count('credit_transactions')),
    payments: await median(count('payments')),
  };
  for (const [table, ms] of Object.entries(baselines)) lines.push(`[${database.kind}] baseline select count(*) from ${table}: ${ms.toFixed(1)} ms = 1.00`);
  const year = { from: new Date(Date.now() - 365 * 86_400_000), to: new Date(Date.now() + 1000) };
  const cases: Array<[string, keyof typeof baselines, () => Promise<unknown>]> = [
    ['overview (30 days)', 'credit_transactions', () => analytics.overview()],
    ['revenue, 30 days by day', 'payments', () => analytics.revenue({ interval: 'day' })],
    ['revenue, a year by month', 'payments', () => analytics.revenue({ ...year, interval: 'month' })],
    ['usage, 30 days by day', 'generations', () => analytics.usage({ interval: 'day' })],
    ['usage, a year by month', 'generations', () => analytics.usage({ ...year, interval: 'month' })],
    ['product costs, a year', 'generations', () => analytics.productCosts(year)],
    ['credits, 30 days by day', 'credit_transactions', () => analytics.credits({ interval: 'day' })],
    ['credits, a year by month', 'credit_transactions', () => analytics.credits({ ...year, interval: 'month' })],
  ];
  for (const [name, table, fn] of cases) {
    const ms = await median(fn);
    lines.push(`[${database.kind}] ${name}: ${ms.toFixed(1)} ms = ${(ms / baselines[table]).toFixed(2)} × count(*) of ${table}`);
  }
  return lines;
}
