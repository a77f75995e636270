/**
 * Analytics: the 7- and 30-day overview, then revenue, usage, credits and product costs over a
 * chosen window (dates in UTC, by day or by month), each as a chart with the same figures in a
 * table beneath it (folded away; it is what a screen reader reads, and what a copy takes). The
 * charting library lives in this chunk only, so nothing else downloads it.
 */
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useDocumentTitle, useFormat } from '../ui.tsx';
import { adminApi, type Period } from './api.ts';
import { AdminHeader, DataTable, QueryGate, SelectField } from './kit.tsx';

const COLORS = ['#5b5bd6', '#17a673', '#d98b00', '#c4314b', '#7a7a90'];
const DAY = 86_400_000;
const isoDate = (d: Date) => d.toISOString().slice(0, 10);
type Series = { key: string; label: string };
type Point = { period: string } & Record<string, number | string>;

/** Rows keyed by period, summed over the other dimensions, in period order. */
function byPeriod<R extends { period: string }>(rows: readonly R[], values: (r: R) => Record<string, number>): Point[] {
  const out = new Map<string, Point>();
  for (const r of rows) {
    const p = out.get(r.period) ?? { period: r.period };
    for (const [k, v] of Object.entries(values(r))) p[k] = (Number(p[k]) || 0) + v;
    out.set(r.period, p);
  }
  return [...out.values()].sort((a, b) => a.period.localeCompare(b.period));
}

function Chart({ title, kind, data, series, testId, interval }: { title: string; kind: 'bar' | 'line'; data: Point[]; series: Series[]; testId: string; interval: 'day' | 'month' }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const label = (p: unknown) => format.date(String(p), interval === 'day' ? { month: 'short', day: 'numeric', timeZone: 'UTC' } : { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const value = (v: unknown) => (typeof v === 'number' ? format.number(Math.round(v * 100) / 100) : String(v));
  const shared = { responsive: true, data, style: { width: '100%', height: '100%' }, margin: { top: 8, right: 8, bottom: 8, left: 8 } };
  const body: ReactNode[] = [
    <CartesianGrid key="grid" strokeDasharray="3 3" stroke="#8884" />,
    <XAxis key="x" dataKey="period" tickFormatter={label} reversed={i18n.dir() === 'rtl'} />,
    <YAxis key="y" tickFormatter={value} width={64} orientation={i18n.dir() === 'rtl' ? 'right' : 'left'} />,
    <Tooltip key="tip" labelFormatter={label} formatter={value} />,
    <Legend key="legend" />,
  ];
  return (
    <figure className="admin-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      {data.length === 0 ? (
        <p className="empty">{t('admin.analytics.noData')}</p>
      ) : (
        <>
          <div className="admin-chart-box" aria-hidden="true">
            {kind === 'bar' ? (
              <BarChart {...shared} accessibilityLayer={false}>
                {body}
                {series.map((s, i) => (
                  <Bar key={s.key} dataKey={s.key} name={s.label} fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
                ))}
              </BarChart>
            ) : (
              <LineChart {...shared} accessibilityLayer={false}>
                {body}
                {series.map((s, i) => (
                  <Line key={s.key} dataKey={s.key} name={s.label} stroke={COLORS[i % COLORS.length]} strokeWidth={2} dot={false} isAnimationActive={false} />
                ))}
              </LineChart>
            )}
          </div>
          <details>
            <summary>{t('admin.analytics.asTable')}</summary>
            <DataTable
              label={title}
              rows={data}
              rowKey={(p) => p.period}
              columns={[
                { key: 'period', header: t('admin.analytics.period'), cell: (p) => label(p.period) },
                ...series.map((s) => ({ key: s.key, header: s.label, numeric: true, cell: (p: Point) => value(p[s.key] ?? 0) })),
              ]}
            />
          </details>
        </>
      )}
    </figure>
  );
}

function Overview() {
  const { t } = useTranslation();
  const format = useFormat();
  const overview = useQuery({ queryKey: ['admin', 'analytics', 'overview'], queryFn: adminApi.overview });
  const o = overview.data;
  const stat = (label: string, value: ReactNode) => (
    <div key={label}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
  return (
    <section className="card" data-testid="admin-overview">
      <h2>{t('admin.analytics.overview')}</h2>
      <QueryGate pending={overview.isPending} error={overview.error} retry={() => overview.refetch()}>
        {o && (
          <dl className="admin-stats">
            {stat(t('admin.analytics.users'), format.number(o.users.total))}
            {stat(t('admin.analytics.new30'), format.number(o.users.new_30d))}
            {stat(t('admin.analytics.active30'), format.number(o.users.active_30d))}
            {stat(t('admin.analytics.active7'), format.number(o.users.active_7d))}
            {stat(t('admin.analytics.revenue30'), o.revenue_30d.length ? o.revenue_30d.map((r) => format.money(r.amount_minor, r.currency)).join(' · ') : format.number(0))}
            {stat(t('admin.analytics.generations30'), format.number(o.generations_30d.total))}
            {stat(t('admin.analytics.successRate'), `${format.number(Math.round(o.generations_30d.success_rate * 1000) / 10)}%`)}
            {stat(t('admin.analytics.creditsSpent30'), format.number(o.credits_30d.spent))}
            {stat(t('admin.analytics.creditsGranted30'), format.number(o.credits_30d.granted))}
            {stat(t('admin.analytics.providerCost30'), format.money(Math.round(o.provider_cost_30d_usd * 100), 'USD'))}
          </dl>
        )}
      </QueryGate>
    </section>
  );
}

export function Analytics() {
  const { t } = useTranslation();
  const format = useFormat();
  useDocumentTitle(t('admin.analytics.title'));
  const now = Date.now();
  const [draft, setDraft] = useState<Required<Period>>({ from: isoDate(new Date(now - 29 * DAY)), to: isoDate(new Date(now)), interval: 'day' });
  const [period, setPeriod] = useState(draft);
  const window = { from: period.from, to: period.to };
  const data = useQuery({
    queryKey: ['admin', 'analytics', period],
    queryFn: async () => {
      const [revenue, usage, credits, costs] = await Promise.all([adminApi.revenue(period), adminApi.usage(period), adminApi.credits(period), adminApi.productCosts(window)]);
      return { revenue: revenue.data, usage: usage.data, credits: credits.data, costs: costs.data };
    },
  });
  const d = data.data;
  const currencies = [...new Set(d?.revenue.map((r) => r.currency) ?? [])];

  function apply(e: FormEvent) {
    e.preventDefault();
    setPeriod(draft);
  }

  return (
    <>
      <AdminHeader title={t('admin.analytics.title')} lead={t('admin.analytics.lead')} />
      <Overview />
      <section className="card" data-testid="admin-analytics">
        <form className="admin-filters" onSubmit={apply}>
          <div className="field">
            <label htmlFor="admin-analytics-from">{t('admin.analytics.from')}</label>
            <input id="admin-analytics-from" type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="admin-analytics-to">{t('admin.analytics.to')}</label>
            <input id="admin-analytics-to" type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
          </div>
          <SelectField
            id="admin-analytics-interval"
            label={t('admin.analytics.interval')}
            value={draft.interval}
            options={['day', 'month'] as const}
            optionLabel={(i) => t(`admin.analytics.intervals.${i}`)}
            onChange={(interval) => interval && setDraft({ ...draft, interval })}
          />
          <button type="submit" className="button button-primary">
            {t('admin.filter')}
          </button>
        </form>
        <QueryGate pending={data.isPending} error={data.error} retry={() => data.refetch()}>
          {d && (
            <div className="grid">
              {(currencies.length ? currencies : ['USD']).map((currency) => (
                <Chart
                  key={currency}
                  testId="admin-chart-revenue"
                  interval={period.interval}
                  title={t('admin.analytics.revenue', { currency })}
                  kind="bar"
                  data={byPeriod(
                    d.revenue.filter((r) => r.currency === currency),
                    (r) => ({ amount: r.amount_minor / 100, refunds: r.refunds_minor / 100 }),
                  )}
                  series={[
                    { key: 'amount', label: t('admin.analytics.amount') },
                    { key: 'refunds', label: t('admin.analytics.refunds') },
                  ]}
                />
              ))}
              <Chart
                testId="admin-chart-usage"
                interval={period.interval}
                title={t('admin.analytics.usage')}
                kind="line"
                data={byPeriod(d.usage, (r) => ({ generations: r.generations, outputs: r.outputs, credits: r.credits_spent }))}
                series={[
                  { key: 'generations', label: t('admin.sections.generations') },
                  { key: 'outputs', label: t('admin.analytics.outputs') },
                  { key: 'credits', label: t('admin.analytics.creditsSpent') },
                ]}
              />
              <Chart
                testId="admin-chart-credits"
                interval={period.interval}
                title={t('admin.analytics.credits')}
                kind="bar"
                data={byPeriod(d.credits, (r) => ({ granted: r.granted, purchased: r.purchased, spent: r.spent, refunded: r.refunded, expired: r.expired }))}
                series={(['granted', 'purchased', 'spent', 'refunded', 'expired'] as const).map((k) => ({ key: k, label: t(`admin.analytics.creditKinds.${k}`) }))}
              />
              <figure className="admin-chart" data-testid="admin-product-costs">
                <figcaption>{t('admin.analytics.productCosts')}</figcaption>
                {d.costs.length === 0 ? (
                  <p className="empty">{t('admin.analytics.noData')}</p>
                ) : (
                  <DataTable
                    label={t('admin.analytics.productCosts')}
                    rows={d.costs}
                    rowKey={(c) => c.product_id ?? '-'}
                    columns={[
                      { key: 'product', header: t('admin.analytics.product'), cell: (c) => c.product_name ?? t('admin.analytics.noProduct') },
                      { key: 'generations', header: t('admin.sections.generations'), numeric: true, cell: (c) => format.number(c.generations) },
                      { key: 'credits', header: t('admin.analytics.creditsSpent'), numeric: true, cell: (c) => format.number(c.credits_spent) },
                      { key: 'cost', header: t('admin.analytics.providerCost'), numeric: true, cell: (c) => format.money(Math.round(c.provider_cost_usd * 100), 'USD') },
                    ]}
                  />
                )}
              </figure>
            </div>
          )}
        </QueryGate>
      </section>
    </>
  );
}
