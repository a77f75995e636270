/**
 * A template's recorded performance in the console: what was recorded, newest first, and one form
 * that records a new measurement (`POST /admin/templates/{id}/metrics`) or corrects one chosen in
 * the table (`PATCH …/metrics/{metric_id}`), both audited; the ad-creatives screen shows the
 * newest. Rates are typed as percentages, which is how they are read, and sent as the API's
 * fractions (0–1).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { describeError } from '../api.ts';
import { Alert, FieldMessages, describedBy, useFormat } from '../ui.tsx';
import { adminApi, type TemplateMetric } from './api.ts';
import { localDateTime } from './fields.ts';
import { DataTable, QueryGate, type Column } from './kit.tsx';

const RATES = ['ctr', 'conversion_rate', 'engagement_rate'] as const;
type Rate = (typeof RATES)[number];

const metricsKey = (id: string) => ['admin', 'catalogue', 'templates', id, 'metrics'] as const;

/** A percentage with up to two decimals, or nothing. */
const PERCENT = /^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/;

function useMetricSchema() {
  const { t } = useTranslation();
  const percent = z.string().refine((v) => v.trim() === '' || PERCENT.test(v.trim()), t('admin.metrics.percentRule'));
  return z.object({
    recorded_at: z.string(),
    impressions: z.string().refine((v) => v.trim() === '' || /^\d{1,10}$/.test(v.trim()), t('admin.metrics.impressionsRule')),
    ctr: percent,
    conversion_rate: percent,
    engagement_rate: percent,
  });
}
type MetricForm = z.infer<ReturnType<typeof useMetricSchema>>;
const EMPTY: MetricForm = { recorded_at: '', impressions: '', ctr: '', conversion_rate: '', engagement_rate: '' };

/**
 * The request body of the form's text. A new record leaves empty fields out (the server records now,
 * 0 impressions, no rate); a correction sends an emptied rate as null, so it is cleared.
 */
function toBody(v: MetricForm, correcting: boolean) {
  const rate = (s: string) => (s.trim() === '' ? (correcting ? null : undefined) : Math.round(Number(s.trim()) * 100) / 10_000);
  return {
    ...(v.recorded_at ? { recorded_at: new Date(v.recorded_at).toISOString() } : {}),
    ...(v.impressions.trim() ? { impressions: Number(v.impressions.trim()) } : {}),
    ...Object.fromEntries(RATES.flatMap((r) => (rate(v[r]) === undefined ? [] : [[r, rate(v[r])]]))),
  };
}

/** A recorded measurement as the form's text: the time in the reader's zone, rates as percentages. */
function toForm(m: TemplateMetric): MetricForm {
  const percent = (v: number | null) => (v === null ? '' : String(Math.round(v * 10_000) / 100));
  return {
    recorded_at: localDateTime(m.recorded_at),
    impressions: String(m.impressions),
    ctr: percent(m.ctr),
    conversion_rate: percent(m.conversion_rate),
    engagement_rate: percent(m.engagement_rate),
  };
}

export function TemplateMetrics({ id, title, onClose }: { id: string; title: string; onClose: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // A flag, not the text: the message follows a change of language.
  const [recorded, setRecorded] = useState<false | 'recorded' | 'corrected'>(false);
  /** The measurement being corrected; null while a new one is recorded. */
  const [correcting, setCorrecting] = useState<TemplateMetric | null>(null);
  const [error, setError] = useState<string | null>(null);
  const metrics = useQuery({ queryKey: metricsKey(id), queryFn: () => adminApi.templateMetrics(id) });
  const form = useForm<MetricForm>({ resolver: zodResolver(useMetricSchema()), defaultValues: EMPTY });

  useEffect(() => heading.current?.focus(), []);

  const record = useMutation({
    mutationFn: (values: MetricForm) =>
      correcting ? adminApi.correctTemplateMetric(id, correcting.id, toBody(values, true)) : adminApi.recordTemplateMetric(id, toBody(values, false)),
    onSuccess: async () => {
      form.reset(EMPTY);
      setRecorded(correcting ? 'corrected' : 'recorded');
      setCorrecting(null);
      setError(null);
      await client.invalidateQueries({ queryKey: metricsKey(id) });
    },
    onError: (err) => {
      setRecorded(false);
      const described = describeError(err, Object.keys(EMPTY), t('common.genericError'));
      for (const [name, message] of Object.entries(described.fields)) form.setError(name as keyof MetricForm, { message });
      setError([described.message, ...described.other].join(' '));
    },
  });

  const pct = (v: number | null) => (v === null ? '—' : t('admin.metrics.percent', { n: Math.round(v * 10_000) / 100 }));
  const columns: Column<TemplateMetric>[] = [
    {
      key: 'actions',
      header: t('admin.actions'),
      cell: (m) => (
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => {
            setRecorded(false);
            setCorrecting(m);
            form.reset(toForm(m));
          }}
          data-testid="admin-metrics-correct"
        >
          {t('admin.metrics.correct')}
        </button>
      ),
    },
    { key: 'recorded_at', header: t('admin.metrics.fields.recorded_at'), cell: (m) => format.date(m.recorded_at, { dateStyle: 'medium', timeStyle: 'short' }) },
    { key: 'impressions', header: t('admin.metrics.fields.impressions'), cell: (m) => format.number(m.impressions), numeric: true },
    ...RATES.map((r: Rate): Column<TemplateMetric> => ({ key: r, header: t(`admin.metrics.fields.${r}`), cell: (m) => pct(m[r]), numeric: true })),
  ];

  const errors = form.formState.errors;
  const field = (name: keyof MetricForm, hint?: string) => {
    const fieldId = `metric-${name}`;
    const err = errors[name]?.message;
    return (
      <div key={name} className={`field${err ? ' has-error' : ''}`}>
        <label htmlFor={fieldId}>{t(`admin.metrics.fields.${name}`)}</label>
        <input
          id={fieldId}
          type={name === 'recorded_at' ? 'datetime-local' : 'text'}
          inputMode={name === 'recorded_at' ? undefined : name === 'impressions' ? 'numeric' : 'decimal'}
          dir={name === 'recorded_at' ? undefined : 'ltr'}
          aria-invalid={err ? true : undefined}
          aria-describedby={describedBy(fieldId, hint ?? null, err)}
          {...form.register(name)}
        />
        <FieldMessages id={fieldId} hint={hint} error={err} />
      </div>
    );
  };

  return (
    <section className="card admin-form" aria-labelledby={headingId} data-testid="admin-template-metrics">
      <h2 id={headingId} ref={heading} tabIndex={-1} className="wide">
        {t('admin.metrics.title', { name: title })}
      </h2>
      <p className="muted wide">{t('admin.metrics.lead')}</p>
      <div className="wide">
        <QueryGate pending={metrics.isPending} error={metrics.error} retry={metrics.refetch}>
          {metrics.data && metrics.data.data.length > 0 ? (
            <DataTable label={t('admin.metrics.title', { name: title })} columns={columns} rows={metrics.data.data} rowKey={(m) => m.id} testId="admin-metrics-table" />
          ) : (
            <p className="muted" data-testid="admin-metrics-empty">
              {t('admin.metrics.empty')}
            </p>
          )}
        </QueryGate>
      </div>
      <form className="admin-form wide" noValidate aria-labelledby={`${headingId}-form`} onSubmit={form.handleSubmit((v) => record.mutate(v))}>
        <h3 className="wide" id={`${headingId}-form`}>
          {correcting ? t('admin.metrics.correctTitle', { date: format.date(correcting.recorded_at, { dateStyle: 'medium', timeStyle: 'short' }) }) : t('admin.metrics.record')}
        </h3>
        {recorded && (
          <div className="wide">
            <Alert kind="success" testId="admin-metrics-notice">
              {t(recorded === 'corrected' ? 'admin.form.saved' : 'admin.metrics.recorded')}
            </Alert>
          </div>
        )}
        {error && (
          <div className="wide">
            <Alert>{error}</Alert>
          </div>
        )}
        {field('recorded_at', t('admin.metrics.recordedAtHint'))}
        {field('impressions')}
        {RATES.map((r) => field(r, t('admin.metrics.percentHint')))}
        <div className="form-buttons admin-actions wide">
          <button type="submit" className="button button-primary" disabled={record.isPending} data-testid="admin-metrics-save">
            {record.isPending ? t('admin.form.saving') : correcting ? t('admin.form.save') : t('admin.metrics.save')}
          </button>
          {correcting && (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setCorrecting(null);
                form.reset(EMPTY);
              }}
            >
              {t('admin.metrics.newRecord')}
            </button>
          )}
          <button type="button" className="button button-secondary" onClick={onClose}>
            {t('admin.metrics.close')}
          </button>
        </div>
      </form>
    </section>
  );
}
