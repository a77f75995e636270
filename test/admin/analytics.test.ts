/**
 * Admin analytics (decision 063): a few thousand mixed rows — users, ledger entries of every type,
 * payments in two currencies and three providers with refunds, generations of several studios,
 * types, statuses and products with durations and provider costs — and every figure of
 * /admin/analytics/overview, /revenue, /usage, /product-costs and /credits compared to a sum made
 * here in JS from the same rows (read back from the database, so the sign-ups' rows count too),
 * by day and by month, over a window and by default. Bad from/to/interval are 400 problems; a user
 * and a user's API key are refused (403).
 * Real: app, database (PGlite or PostgreSQL via TEST_DATABASE_URL), the SQL sums, auth hook.
 * Stand-ins: a manual clock; the rows are inserted by SQL with a seeded generator (what is tested is
 * the arithmetic over them, not the flows that write them, which have their own tests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, signUpAdmin } from '../helpers/accounts.ts';
import { call, createTestApp, sqlRows, type TestApp } from '../helpers/app.ts';
import { seeded } from '../helpers/schema-samples.ts';

type Account = Awaited<ReturnType<typeof signUp>>;
const DAY = 86_400_000;
let t: TestApp;
let admin: Account;
let now: Date;
const random = seeded(12);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
/** A time in the last `days` days, milliseconds included (so days and months split anywhere). */
const within = (days: number) => new Date(now.getTime() - Math.floor(random() * days * DAY));
const iso = (d: Date | null) => (d ? `'${d.toISOString()}'` : 'null');

async function insert(table: string, columns: string[], rows: string[][]) {
  for (let i = 0; i < rows.length; i += 500) {
    await sqlRows(t, `insert into ${table} (${columns.join(', ')}) values ${rows.slice(i, i + 500).map((r) => `(${r.join(', ')})`).join(', ')}`);
  }
}

beforeAll(async () => {
  t = await createTestApp();
  now = t.clock.now();
  admin = await signUpAdmin(t);

  const userIds = (
    await sqlRows<{ id: string }>(
      t,
      `insert into users (email, created_at, last_login_at)
       select 'analytics-' || i || '@example.com', now(), null from generate_series(1, 40) i returning id`,
    )
  ).map((r) => r.id);
  for (const id of userIds) {
    const login = random() < 0.6 ? within(45) : null;
    await sqlRows(t, `update users set created_at = ${iso(within(60))}, last_login_at = ${iso(login)} where id = '${id}'`);
  }
  const productIds = (
    await sqlRows<{ id: string }>(t, `insert into products (owner_id, name) select '${userIds[0]}', 'Product ' || i from generate_series(1, 4) i returning id`)
  ).map((r) => r.id);

  const kinds = [
    ['product-shots', 'background_removal'],
    ['product-shots', 'model_shot'],
    ['print-prep', 'upscale'],
    ['print-prep', 'vectorize'],
    ['headshots', 'headshot'],
    ['style-studio', 'style_conversion'],
  ] as const;
  const statuses = ['pending', 'processing', 'completed', 'completed', 'completed', 'failed', 'cancelled'] as const;
  await insert(
    'generations',
    ['user_id', 'studio', 'type', 'status', 'provider', 'product_id', 'num_outputs', 'credits_per_output', 'credits_reserved', 'credits_used', 'api_cost_micros', 'generation_duration_ms', 'deadline_at', 'created_at'],
    Array.from({ length: 2500 }, () => {
      const [studio, type] = pick(kinds);
      const status = pick(statuses);
      const outputs = int(1, 4);
      const price = pick([0, 1, 2, 5]);
      const used = status === 'completed' ? price * int(1, outputs) : 0;
      const at = within(100);
      return [
        `'${pick(userIds)}'`,
        `'${studio}'`,
        `'${type}'`,
        `'${status}'`,
        `'${pick(['local', 'fal', 'openai'])}'`,
        random() < 0.3 ? 'null' : `'${pick(productIds)}'`,
        String(outputs),
        String(price),
        String(price * outputs),
        String(used),
        String(status === 'pending' ? 0 : int(0, 90_000)),
        status === 'completed' ? String(int(300, 60_000)) : 'null',
        iso(at),
        iso(at),
      ];
    }),
  );

  const paymentStatuses = ['completed', 'completed', 'completed', 'refunded', 'pending', 'failed', 'expired'] as const;
  await insert(
    'payments',
    ['user_id', 'purpose', 'provider', 'amount_minor', 'currency', 'credits', 'status', 'completed_at', 'created_at'],
    Array.from({ length: 800 }, () => {
      const status = pick(paymentStatuses);
      const created = within(100);
      // Completion some minutes to hours later, so a payment may be made one day and paid the next.
      const completed = status === 'completed' || status === 'refunded' ? new Date(created.getTime() + int(1, 600) * 60_000) : null;
      return [`'${pick(userIds)}'`, `'package'`, `'${pick(['stripe', 'zarinpal', 'manual'])}'`, String(int(100, 500_000)), `'${pick(['USD', 'IRR'])}'`, '10', `'${status}'`, completed && completed <= now ? iso(completed) : iso(null), iso(created)];
    }).map((r) => (r[7] === 'null' && (r[6] === "'completed'" || r[6] === "'refunded'") ? [...r.slice(0, 6), "'pending'", 'null', r[8]!] : r)),
  );

  // Refund rows (decision 057): a refunded payment's whole amount some hours or days after it came in
  // (so some refunds fall in a later period, or outside the window); a partial refund of some completed ones; a lost dispute.
  const paid = await sqlRows<{ id: string; user_id: string; provider: string; status: string; amount_minor: number; currency: string; completed_at: string }>(
    t,
    `select id, user_id, provider, status, amount_minor, currency, completed_at from payments where status in ('completed', 'refunded') and completed_at is not null order by id`,
  );
  const refundRows: string[][] = [];
  for (const p of paid) {
    const amount = Number(p.amount_minor);
    const at = new Date(Math.min(new Date(p.completed_at).getTime() + int(1, 20 * 24) * 3_600_000, now.getTime()));
    const part = p.status === 'refunded' ? amount : random() < 0.25 ? Math.max(1, Math.floor(amount / 3)) : 0;
    if (part === 0) continue;
    const kind = p.status === 'completed' && random() < 0.2 ? 'dispute' : 'refund';
    refundRows.push([`'${p.id}'`, `'${p.user_id}'`, `'${kind}'`, `'succeeded'`, `'${p.provider}'`, String(part), `'${p.currency}'`, iso(at), iso(at)]);
    await sqlRows(t, `update payments set refunded_minor = ${part} where id = '${p.id}'`);
  }
  await insert('refunds', ['payment_id', 'user_id', 'kind', 'status', 'provider', 'amount_minor', 'currency', 'refunded_at', 'created_at'], refundRows);

  const ledgerTypes = ['purchase', 'subscription_grant', 'signup_bonus', 'bonus', 'coupon', 'gift_card', 'usage', 'training', 'refund', 'expiration', 'admin_adjustment'] as const;
  const negative = new Set(['usage', 'training', 'expiration']);
  let k = 0;
  await insert(
    'credit_transactions',
    ['user_id', 'type', 'amount', 'balance_before', 'balance_after', 'idempotency_key', 'created_at'],
    Array.from({ length: 3300 }, (_, i) => {
      const type = ledgerTypes[i % ledgerTypes.length]!;
      const size = int(1, 500);
      const amount = negative.has(type) ? -size : type === 'admin_adjustment' && random() < 0.4 ? -size : size;
      return [`'${pick(userIds)}'`, `'${type}'`, String(amount), '1000', String(1000 + amount), `'analytics:${++k}'`, iso(within(100))];
    }),
  );
});
afterAll(async () => t?.close());

const get = async (url: string, token = admin.access_token) => {
  const res = await call(t.app, 'GET', `/api/v1/admin/analytics${url}`, { token });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.data;
};

type Interval = 'day' | 'month';
const periodOf = (at: Date, interval: Interval) => (interval === 'day' ? at.toISOString().slice(0, 10) : `${at.toISOString().slice(0, 7)}-01`);
const inWindow = (at: Date | null, from: Date, to: Date) => at !== null && at >= from && at < to;
const byKey = <T extends Record<string, unknown>>(rows: T[], key: (r: T) => string) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));

/** Sums of `rows` grouped by `keyOf`, each group starting from `zero()`. */
function groupSum<R, G>(rows: R[], keyOf: (r: R) => string, zero: () => G, add: (g: G, r: R) => void): Map<string, G> {
  const groups = new Map<string, G>();
  for (const r of rows) {
    const key = keyOf(r);
    if (!groups.has(key)) groups.set(key, zero());
    add(groups.get(key)!, r);
  }
  return groups;
}

interface Gen {
  user_id: string;
  studio: string;
  type: string;
  status: string;
  product_id: string | null;
  product_name: string | null;
  num_outputs: number;
  credits_per_output: number;
  credits_used: number;
  api_cost_micros: number;
  generation_duration_ms: number | null;
  created_at: Date;
}
interface Pay {
  id: string;
  provider: string;
  currency: string;
  status: string;
  amount_minor: number;
  completed_at: Date | null;
}
interface Back {
  payment_id: string;
  kind: string;
  provider: string;
  currency: string;
  amount_minor: number;
  refunded_at: Date;
}
interface Entry {
  type: string;
  amount: number;
  created_at: Date;
}

const generationsHeld = async () =>
  (
    await sqlRows<Record<string, unknown>>(
      t,
      `select g.user_id, g.studio, g.type, g.status, g.product_id, p.name as product_name, g.num_outputs, g.credits_per_output, g.credits_used, g.api_cost_micros, g.generation_duration_ms, g.created_at
         from generations g left join products p on p.id = g.product_id`,
    )
  ).map(
    (r): Gen => ({
      ...(r as unknown as Gen),
      num_outputs: Number(r.num_outputs),
      credits_per_output: Number(r.credits_per_output),
      credits_used: Number(r.credits_used),
      api_cost_micros: Number(r.api_cost_micros),
      generation_duration_ms: r.generation_duration_ms === null ? null : Number(r.generation_duration_ms),
      created_at: new Date(r.created_at as string),
    }),
  );
const refundsHeld = async () =>
  (await sqlRows<Record<string, unknown>>(t, `select payment_id, kind, provider, currency, amount_minor, refunded_at from refunds where status = 'succeeded'`)).map(
    (r): Back => ({ ...(r as unknown as Back), amount_minor: Number(r.amount_minor), refunded_at: new Date(r.refunded_at as string) }),
  );
const paymentsHeld = async () =>
  (await sqlRows<Record<string, unknown>>(t, 'select id, provider, currency, status, amount_minor, completed_at from payments')).map(
    (r): Pay => ({ ...(r as unknown as Pay), amount_minor: Number(r.amount_minor), completed_at: r.completed_at ? new Date(r.completed_at as string) : null }),
  );
const ledgerHeld = async () =>
  (await sqlRows<Record<string, unknown>>(t, 'select type, amount, created_at from credit_transactions')).map(
    (r): Entry => ({ type: r.type as string, amount: Number(r.amount), created_at: new Date(r.created_at as string) }),
  );

const creditKinds: Record<string, 'granted' | 'purchased' | 'spent' | 'refunded' | 'expired'> = {
  signup_bonus: 'granted',
  bonus: 'granted',
  coupon: 'granted',
  gift_card: 'granted',
  admin_adjustment: 'granted',
  purchase: 'purchased',
  subscription_grant: 'purchased',
  usage: 'spent',
  training: 'spent',
  refund: 'refunded',
  expiration: 'expired',
};

describe('analytics equal the rows they sum', () => {
  const windows = () => {
    const from = new Date(now.getTime() - 75 * DAY);
    return [
      { query: '', from: new Date(now.getTime() - 30 * DAY), to: now, interval: 'day' as Interval },
      { query: `from=${from.toISOString()}&to=${now.toISOString()}&interval=day`, from, to: now, interval: 'day' as Interval },
      // Dates: whole UTC days, `to` included.
      {
        query: `from=${periodOf(from, 'day')}&to=${periodOf(now, 'day')}&interval=month`,
        from: new Date(`${periodOf(from, 'day')}T00:00:00Z`),
        to: new Date(new Date(`${periodOf(now, 'day')}T00:00:00Z`).getTime() + DAY),
        interval: 'month' as Interval,
      },
    ];
  };

  it('revenue: payments, amounts and refunds per period, currency and provider', async () => {
    const held = await paymentsHeld();
    const back = await refundsHeld();
    expect(held.filter((p) => p.status === 'refunded').length).toBeGreaterThan(10);
    expect(back.filter((r) => r.kind === 'dispute' || r.amount_minor < held.find((p) => p.id === r.payment_id)!.amount_minor).length).toBeGreaterThan(10);
    for (const w of windows()) {
      const paid = held.filter((p) => (p.status === 'completed' || p.status === 'refunded') && inWindow(p.completed_at, w.from, w.to));
      const expected = groupSum(
        paid,
        (p) => `${periodOf(p.completed_at!, w.interval)}|${p.currency}|${p.provider}`,
        () => ({ payments: 0, amount_minor: 0, refunds_minor: 0 }),
        (g, p) => {
          g.payments += 1;
          g.amount_minor += p.amount_minor;
        },
      );
      // Refunds by when the money went back, from the refund rows (partial ones and disputes too).
      for (const r of back.filter((r) => inWindow(r.refunded_at, w.from, w.to))) {
        const key = `${periodOf(r.refunded_at, w.interval)}|${r.currency}|${r.provider}`;
        if (!expected.has(key)) expected.set(key, { payments: 0, amount_minor: 0, refunds_minor: 0 });
        expected.get(key)!.refunds_minor += r.amount_minor;
      }
      const got = (await get(`/revenue?${w.query}`)).data as any[];
      expect(got.length, w.query).toBeGreaterThan(w.interval === 'day' ? 30 : 2);
      expect(byKey(got, (r) => `${r.period}|${r.currency}|${r.provider}`), w.query).toEqual(
        byKey(
          [...expected].map(([key, g]) => {
            const [period, currency, provider] = key.split('|');
            return { period, currency, provider, ...g };
          }),
          (r) => `${r.period}|${r.currency}|${r.provider}`,
        ),
      );
    }
  });

  it('usage: generations, outputs, credits and active users per period, studio and type', async () => {
    const held = await generationsHeld();
    for (const w of windows()) {
      const rows = held.filter((g) => inWindow(g.created_at, w.from, w.to));
      const expected = groupSum(
        rows,
        (g) => `${periodOf(g.created_at, w.interval)}|${g.studio}|${g.type}`,
        () => ({ generations: 0, outputs: 0, credits_spent: 0, users: new Set<string>() }),
        (s, g) => {
          s.generations += 1;
          if (g.status === 'completed') s.outputs += g.credits_per_output > 0 ? Math.floor(g.credits_used / g.credits_per_output) : g.num_outputs;
          s.credits_spent += g.credits_used;
          s.users.add(g.user_id);
        },
      );
      const got = (await get(`/usage?${w.query}`)).data as any[];
      expect(byKey(got, (r) => `${r.period}|${r.studio}|${r.type}`), w.query).toEqual(
        byKey(
          [...expected].map(([key, s]) => {
            const [period, studio, type] = key.split('|');
            return { period, studio, type, generations: s.generations, outputs: s.outputs, credits_spent: s.credits_spent, active_users: s.users.size };
          }),
          (r) => `${r.period}|${r.studio}|${r.type}`,
        ),
      );
    }
  });

  it('product costs: generations, credits and provider cost per product', async () => {
    const held = await generationsHeld();
    for (const w of windows()) {
      const rows = held.filter((g) => inWindow(g.created_at, w.from, w.to));
      const expected = groupSum(
        rows,
        (g) => g.product_id ?? '',
        () => ({ product_name: null as string | null, generations: 0, credits_spent: 0, micros: 0 }),
        (s, g) => {
          s.product_name = g.product_name;
          s.generations += 1;
          s.credits_spent += g.credits_used;
          s.micros += g.api_cost_micros;
        },
      );
      const got = (await get(`/product-costs?${w.query.replace(/&interval=\w+/, '').replace(/^interval=\w+/, '')}`)).data as any[];
      expect(got.map((r) => r.provider_cost_usd), w.query).toEqual([...got.map((r) => r.provider_cost_usd)].sort((a, b) => b - a));
      expect(byKey(got, (r) => r.product_id ?? ''), w.query).toEqual(
        byKey(
          [...expected].map(([id, s]) => ({ product_id: id || null, product_name: s.product_name, generations: s.generations, credits_spent: s.credits_spent, provider_cost_usd: s.micros / 1_000_000 })),
          (r) => r.product_id ?? '',
        ),
      );
      expect(got.length).toBe(5);
    }
  });

  it('credits: granted, purchased, spent, refunded and expired per period', async () => {
    const held = await ledgerHeld();
    for (const w of windows()) {
      const rows = held.filter((e) => inWindow(e.created_at, w.from, w.to));
      const expected = groupSum(
        rows,
        (e) => periodOf(e.created_at, w.interval),
        () => ({ granted: 0, purchased: 0, spent: 0, refunded: 0, expired: 0 }),
        (s, e) => {
          const kind = creditKinds[e.type]!;
          s[kind] += kind === 'spent' || kind === 'expired' ? -e.amount : e.amount;
        },
      );
      const got = (await get(`/credits?${w.query}`)).data as any[];
      expect(got, w.query).toEqual([...expected].map(([period, s]) => ({ period, ...s })).sort((a, b) => a.period.localeCompare(b.period)));
    }
  });

  it('overview: the last 7 and 30 days', async () => {
    const [gens, pays, ledger] = await Promise.all([generationsHeld(), paymentsHeld(), ledgerHeld()]);
    const people = await sqlRows<{ id: string; created_at: string; last_login_at: string | null }>(t, 'select id, created_at, last_login_at from users');
    const since = (days: number) => new Date(now.getTime() - days * DAY);
    const upToNow = new Date(now.getTime() + 1);
    const active = (days: number) =>
      new Set([
        ...gens.filter((g) => inWindow(g.created_at, since(days), upToNow)).map((g) => g.user_id),
        ...people.filter((p) => inWindow(p.last_login_at ? new Date(p.last_login_at) : null, since(days), upToNow)).map((p) => p.id),
      ]).size;
    const g30 = gens.filter((g) => inWindow(g.created_at, since(30), upToNow));
    const count = (status: string) => g30.filter((g) => g.status === status).length;
    const durations = g30.filter((g) => g.status === 'completed').map((g) => g.generation_duration_ms!);
    const l30 = ledger.filter((e) => inWindow(e.created_at, since(30), upToNow));
    const sumOf = (kinds: string[], sign: 1 | -1) => l30.filter((e) => kinds.includes(creditKinds[e.type]!)).reduce((s, e) => s + sign * e.amount, 0);
    // Net: payments completed in the window (refunded since or not) less refunds made in it.
    const revenue = groupSum(
      pays.filter((p) => (p.status === 'completed' || p.status === 'refunded') && inWindow(p.completed_at, since(30), upToNow)),
      (p) => p.currency,
      () => ({ amount_minor: 0 }),
      (s, p) => (s.amount_minor += p.amount_minor),
    );
    for (const r of (await refundsHeld()).filter((r) => inWindow(r.refunded_at, since(30), upToNow))) {
      if (!revenue.has(r.currency)) revenue.set(r.currency, { amount_minor: 0 });
      revenue.get(r.currency)!.amount_minor -= r.amount_minor;
    }

    const o = await get('/overview');
    expect(o).toEqual({
      users: {
        total: people.length,
        new_7d: people.filter((p) => new Date(p.created_at) >= since(7)).length,
        new_30d: people.filter((p) => new Date(p.created_at) >= since(30)).length,
        active_7d: active(7),
        active_30d: active(30),
      },
      revenue_30d: [...revenue].map(([currency, s]) => ({ currency, ...s })).sort((a, b) => a.currency.localeCompare(b.currency)),
      credits_30d: { granted: sumOf(['granted', 'purchased'], 1), spent: sumOf(['spent'], -1), expired: sumOf(['expired'], -1) },
      generations_30d: {
        total: g30.length,
        completed: count('completed'),
        failed: count('failed'),
        cancelled: count('cancelled'),
        success_rate: count('completed') / (count('completed') + count('failed')),
        avg_duration_ms: Math.round(durations.reduce((a, b) => a + b, 0) / durations.length),
      },
      provider_cost_30d_usd: g30.reduce((s, g) => s + g.api_cost_micros, 0) / 1_000_000,
    });
    expect(o.users.active_7d).toBeGreaterThan(0);
    expect(o.generations_30d.total).toBeGreaterThan(500);
  });
});

describe('analytics input and access', () => {
  it('refuses bad from, to and interval with a 400 problem', async () => {
    for (const q of [
      '/revenue?interval=week',
      '/usage?from=yesterday',
      '/credits?to=2026-02-30',
      '/credits?from=2026-03-01&to=2026-02-01',
      '/revenue?from=1900-01-01',
      '/usage?from=2020-01-01&to=2026-01-01&interval=day',
      '/product-costs?interval=day',
      '/credits?extra=1',
    ]) {
      const res = await call(t.app, 'GET', `/api/v1/admin/analytics${q}`, { token: admin.access_token });
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type'], q).toContain('application/problem+json');
      expect(res.data.code, q).toBe('validation_failed');
    }
  });

  it('is 403 for a user and a user’s API key, 401 without a credential', async () => {
    const u = await signUp(t.app);
    const key = await call(t.app, 'POST', '/api/v1/me/api-keys', { token: u.access_token, body: { name: 'ci' } });
    for (const path of ['/overview', '/revenue', '/usage', '/product-costs', '/credits']) {
      for (const token of [u.access_token, key.data.key as string]) expect((await call(t.app, 'GET', `/api/v1/admin/analytics${path}`, { token })).statusCode, path).toBe(403);
      expect((await call(t.app, 'GET', `/api/v1/admin/analytics${path}`)).statusCode, path).toBe(401);
    }
  });
});
