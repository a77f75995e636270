/**
 * Style conversion: a photo of one's own, turned into a catalogue style, alone or with the colours
 * and texture of a vendor's public gallery image as the reference (`?reference=<asset id>&preview=<its thumbnail>` arrives from the
 * public vendor page). On the free plan the free conversions left this month are shown (the plan's
 * `conversion_limit` less this calendar month's conversions that did not fail — the period the
 * server counts on a plan without a subscription, decision 087); a `403 quota_exceeded` shows its
 * limit, use and reset date and leads to the plans (ZarinPal, in toman). The run is then followed
 * until it is final and its result shown.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, ApiError, describeError, type Asset } from '../../api.ts';
import { useSignedIn } from '../../session.ts';
import { Alert, FieldMessages, Link, Spinner, useDocumentTitle, useFormat } from '../../ui.tsx';
import { flowsApi } from '../flows-api.ts';
import { ProductHero, quotaOf, ResultsGrid, SubmitProblems, useSettling } from '../shared.tsx';
import { uploadRefusal } from '../headshots/feedback.ts';

const conversionsKey = ['conversions'] as const;

/** The first instant of this calendar month (UTC), where a plan without a subscription starts counting. */
const monthStart = (now = new Date()) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);

export function Convert() {
  const { t } = useTranslation();
  useDocumentTitle(t('styleStudio.title'));
  const { user, reload } = useSignedIn();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const vendorReference = params.get('reference');
  const vendorPreview = params.get('preview');
  const safePreview = vendorPreview && vendorPreview.startsWith('/') && !vendorPreview.startsWith('//') ? vendorPreview : null;
  const sourceId = useId();

  const styles = useQuery({ queryKey: ['styles', 'style-studio', 'style'], queryFn: () => flowsApi.styles('style-studio', 'style') });
  const conversions = useQuery({ queryKey: conversionsKey, queryFn: flowsApi.conversions });
  const [mode, setMode] = useState<'style' | 'vendor'>(vendorReference ? 'vendor' : 'style');
  const [style, setStyle] = useState('');
  const [source, setSource] = useState<Asset | null>(null);
  const [uploading, setUploading] = useState(false);
  const [sourceError, setSourceError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [quota, setQuota] = useState<ReturnType<typeof quotaOf>>(null);
  const [short, setShort] = useState(false);
  const [runs, setRuns] = useState<string[]>([]);
  const live = useSettling(runs);

  const plan = user.plan;
  const freeLimit = plan?.source === 'free' ? plan.conversion_limit : null;
  const usedThisMonth = conversions.data?.data.filter((g) => Date.parse(g.created_at) >= monthStart() && g.status !== 'failed' && g.status !== 'cancelled').length;
  const left = freeLimit !== null && usedThisMonth !== undefined ? Math.max(0, freeLimit - usedThisMonth) : null;

  async function upload(files: FileList | null) {
    const file = files?.[0];
    if (!file) return;
    setUploading(true);
    setSourceError(undefined);
    try {
      setSource(await api.upload(file));
    } catch (err) {
      setSourceError(uploadRefusal(err, t));
    } finally {
      setUploading(false);
    }
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    setError(null);
    setQuota(null);
    setShort(false);
    if (!source) {
      setSourceError(t('styleStudio.needPhoto'));
      return;
    }
    if (!style) {
      setError(t('styleStudio.needStyle'));
      return;
    }
    setBusy(true);
    try {
      const g = await api.generate({
        type: 'style_conversion',
        source_asset_ids: [source.id],
        style,
        ...(mode === 'vendor' && vendorReference ? { reference_asset_id: vendorReference } : {}),
      });
      setRuns((r) => [g.id, ...r]);
      await queryClient.invalidateQueries({ queryKey: conversionsKey });
      await reload();
    } catch (err) {
      const q = quotaOf(err);
      if (q) setQuota(q);
      else if (err instanceof ApiError && err.status === 402) setShort(true);
      else {
        const d = describeError(err, [], t('common.genericError'));
        setError([d.message, ...d.other].join(' '));
      }
      await queryClient.invalidateQueries({ queryKey: conversionsKey });
    } finally {
      setBusy(false);
    }
  }

  const styleList = styles.data?.data ?? [];
  return (
    <div className="product-page" data-testid="convert-page">
      <ProductHero eyebrow={t('styleStudio.eyebrow')} title={t('styleStudio.title')} intro={t('styleStudio.intro')} />
      <div className="grid">
        <form className="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="convert-title" data-testid="convert-form">
          <h2 id="convert-title">{t('styleStudio.newConversion')}</h2>
          <p className="quota-line" data-testid="free-left">
            {left !== null
              ? t('styleStudio.freeLeft', { count: left, limit: freeLimit })
              : plan?.source === 'subscription'
                ? t('styleStudio.onPlan', { plan: plan.display_name, count: user.credits.available })
                : t('common.credits', { count: user.credits.available })}
          </p>
          <div className={`field${sourceError ? ' has-error' : ''}`}>
            <label htmlFor={sourceId}>{t('styleStudio.yourPhoto')}</label>
            <input
              id={sourceId}
              type="file"
              accept="image/*"
              onChange={(e) => void upload(e.target.files)}
              aria-describedby={`${sourceId}-hint${sourceError ? ` ${sourceId}-error` : ''}`}
              data-testid="convert-source"
            />
            <FieldMessages id={sourceId} hint={t('styleStudio.photoHint')} error={sourceError} />
            {uploading && <Spinner label={t('styleStudio.uploading')} />}
            {source && <img className="convert-preview" src={source.thumbnail_url ?? source.url} alt={t('styleStudio.yourPhotoAlt')} data-testid="convert-source-preview" />}
          </div>
          <fieldset className="field">
            <legend className="field-legend">{t('styleStudio.lookFrom')}</legend>
            <div className="segmented">
              <label className={mode === 'style' ? 'active' : undefined}>
                <input type="radio" name="convert-mode" checked={mode === 'style'} onChange={() => setMode('style')} />
                {t('styleStudio.fromCatalogue')}
              </label>
              <label className={mode === 'vendor' ? 'active' : undefined}>
                <input type="radio" name="convert-mode" checked={mode === 'vendor'} onChange={() => setMode('vendor')} />
                {t('styleStudio.fromVendor')}
              </label>
            </div>
          </fieldset>
          {styles.isPending ? (
            <Spinner label={t('common.loading')} />
          ) : styles.error ? (
            <Alert>{describeError(styles.error, [], t('common.genericError')).message}</Alert>
          ) : styleList.length === 0 ? (
            <p className="muted">{t('styleStudio.noStyles')}</p>
          ) : (
            <fieldset className="field" data-testid="style-choices">
              <legend className="field-legend">{mode === 'vendor' ? t('styleStudio.styleWithVendor') : t('styleStudio.style')}</legend>
              <div className="choice-row">
                {styleList.map((s) => (
                  <label key={s.key} className="choice">
                    <input type="radio" name="convert-style" value={s.key} checked={style === s.key} onChange={() => setStyle(s.key)} /> {s.name}
                  </label>
                ))}
              </div>
            </fieldset>
          )}
          {mode === 'vendor' &&
            (vendorReference ? (
              <div className="field" data-testid="vendor-reference">
                <p className="muted small">{t('styleStudio.vendorChosen')}</p>
                {safePreview && <img className="convert-preview" src={safePreview} alt={t('styleStudio.vendorImageAlt')} />}
                <button type="button" className="button button-link button-small" onClick={() => setParams({})}>
                  {t('styleStudio.clearVendor')}
                </button>
              </div>
            ) : (
              <p className="muted" data-testid="vendor-reference-empty">
                {t('styleStudio.vendorHowTo')}
              </p>
            ))}
          {quota && (
            <Alert testId="quota-exceeded">
              <p>{t('styleStudio.quotaExceeded', { used: quota.used, limit: quota.limit, date: quota.resetsAt ? format.date(quota.resetsAt) : '' })}</p>
              <p>
                <Link to="/billing">{t('styleStudio.seePlans')}</Link>
              </p>
            </Alert>
          )}
          <SubmitProblems short={short} error={error} shortText={t('styleStudio.notEnough')} billingText={t('styleStudio.seePlans')} testId="convert-short" />
          <button type="submit" className="button button-primary" disabled={busy || uploading || (mode === 'vendor' && !vendorReference)} data-testid="convert-submit">
            {busy ? t('styleStudio.starting') : t('styleStudio.convert')}
          </button>
        </form>
        <section className="card" aria-labelledby="convert-results-title">
          <h2 id="convert-results-title">{t('styleStudio.results')}</h2>
          {runs.length === 0 ? (
            <p className="muted" data-testid="convert-results-empty">
              {t('styleStudio.noResults')}
            </p>
          ) : (
            <ResultsGrid generations={live.generations} label={t('styleStudio.results')} testId="convert-results" />
          )}
        </section>
      </div>
    </div>
  );
}
