/**
 * A template's recorded performance, as the admin keeps it (`POST /admin/templates/{id}/metrics`,
 * audited): the entries recorded so far, newest first, and a form to record one. Rates are entered
 * as percentages and sent as fractions (the API's 0–1); the template browser shows the newest.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { showServerError } from '../forms.ts';
import { Alert, FieldMessages, describedBy, useFormat } from '../ui.tsx';
import { adminApi } from './api.ts';

const RATES = ['ctr', 'conversion_rate', 'engagement_rate'] as const;
type Rate = (typeof RATES)[number];
type Values = Record<Rate | 'impressions', string>;

export function TemplateMetrics({ templateId, name, onClose }: { templateId: string; name: string; onClose: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const formId = useId();
  const key = ['admin', 'template-metrics', templateId];
  const recorded = useQuery({ queryKey: key, queryFn: () => adminApi.templateMetrics(templateId), select: (page) => [...page.data].sort((a, b) => b.recorded_at.localeCompare(a.recorded_at)) });
  const percent = z.string().refine((v) => v.trim() === '' || (Number.isFinite(Number(v)) && Number(v) >= 0 && Number(v) <= 100), t('admin.metrics.percentRule'));
  const schema = z.object({
    ctr: percent,
    conversion_rate: percent,
    engagement_rate: percent,
    impressions: z.string().refine((v) => v.trim() === '' || /^\d+$/.test(v.trim()), t('admin.form.wholeNumber')),
  });
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { ctr: '', conversion_rate: '', engagement_rate: '', impressions: '' } });
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const record = useMutation({
    mutationFn: (v: Values) => {
      const rate = (s: string) => (s.trim() === '' ? null : Number(s) / 100);
      return adminApi.recordTemplateMetrics(templateId, {
        ctr: rate(v.ctr),
        conversion_rate: rate(v.conversion_rate),
        engagement_rate: rate(v.engagement_rate),
        ...(v.impressions.trim() === '' ? {} : { impressions: Number(v.impressions) }),
      });
    },
    onSuccess: async () => {
      form.reset();
      setSaved(true);
      await client.invalidateQueries({ queryKey: key });
    },
    onError: (err) => setError(showServerError(err, [...RATES, 'impressions'], form.setError, t('common.genericError'))),
  });
  const submit = form.handleSubmit((v) => {
    setError(null);
    setSaved(false);
    record.mutate(v);
  });

  return (
    <section className="card admin-form" aria-labelledby={`${formId}-title`} data-testid="template-metrics-panel">
      <h3 id={`${formId}-title`}>{t('admin.metrics.title', { name })}</h3>
      {recorded.error && <Alert>{t('common.genericError')}</Alert>}
      {recorded.data && recorded.data.length === 0 && <p className="muted">{t('admin.metrics.none')}</p>}
      {recorded.data && recorded.data.length > 0 && (
        // A scrolling table is a region a keyboard can reach, like the console's other tables.
        <div className="admin-table-wrap" role="region" aria-labelledby={`${formId}-caption`} tabIndex={0}>
          <table className="table admin-table" data-testid="template-metrics-table">
            <caption id={`${formId}-caption`} className="visually-hidden">
              {t('admin.metrics.recorded')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.metrics.recordedAt')}</th>
                {RATES.map((r) => (
                  <th scope="col" key={r}>
                    {t(`admin.metrics.${r}`)}
                  </th>
                ))}
                <th scope="col">{t('admin.metrics.impressions')}</th>
              </tr>
            </thead>
            <tbody>
              {recorded.data.slice(0, 10).map((m) => (
                <tr key={m.id}>
                  <td>{format.date(m.recorded_at)}</td>
                  {RATES.map((r) => (
                    <td key={r} className="numeric">
                      {m[r] === null ? '—' : t('adCreatives.percent', { n: Math.round(m[r] * 10000) / 100 })}
                    </td>
                  ))}
                  <td className="numeric">{format.number(m.impressions)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {saved && <Alert kind="success" testId="template-metrics-saved">{t('admin.metrics.saved')}</Alert>}
      {error && <Alert>{error}</Alert>}
      <form onSubmit={(e) => void submit(e)} noValidate>
        {([...RATES, 'impressions'] as const).map((f) => {
          const id = `${formId}-${f}`;
          const err = form.formState.errors[f]?.message;
          return (
            <div className="field" key={f}>
              <label htmlFor={id}>{t(`admin.metrics.${f}`)}</label>
              <input id={id} type="text" inputMode="decimal" aria-invalid={err ? true : undefined} aria-describedby={describedBy(id, f === 'impressions' ? null : t('admin.metrics.percentHint'), err)} {...form.register(f)} />
              <FieldMessages id={id} hint={f === 'impressions' ? undefined : t('admin.metrics.percentHint')} error={err} />
            </div>
          );
        })}
        <div className="form-buttons admin-actions">
          <button type="submit" className="button button-primary" disabled={record.isPending} data-testid="template-metrics-record">
            {t('admin.metrics.record')}
          </button>
          <button type="button" className="button button-secondary" onClick={onClose}>
            {t('admin.metrics.close')}
          </button>
        </div>
      </form>
    </section>
  );
}
