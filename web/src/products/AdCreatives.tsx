/**
 * Ad creatives: browse the template library by category (each template's preview, and for the one
 * chosen its recorded metrics), then make an ad from it — headline, copy, call to action, a brand
 * colour, a size and product photos — and watch it render. The form is react-hook-form with the zod
 * resolver holding the type's own limits; what the server still refuses lands on its field.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type CSSProperties } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, ApiError, describeError, FINAL_STATUSES, type Generation, type GenerationType } from '../api.ts';
import { kindOf, type JsonSchema } from '../params-schema.ts';
import { RecentGenerations } from '../screens/RecentGenerations.tsx';
import { useSignedIn } from '../session.ts';
import { Alert, Field, FormErrorAlert, Link, Spinner, useDocumentTitle, useFormat, type FormError } from '../ui.tsx';
import { productKeys, productsApi, type Template } from './api.ts';
import { LibraryImages, useStudioTypes } from './parts.tsx';

const TYPE = 'ad_creative';

const schema = z.object({
  headline: z.string().trim().min(1).max(80),
  body: z.string().max(280),
  cta: z.string().max(30),
  color: z.union([z.literal(''), z.string().regex(/^#[0-9a-fA-F]{6}$/)]),
  size: z.string(),
  images: z.array(z.string()).max(4),
});
type Values = z.infer<typeof schema>;

const HEX = /^#[0-9a-fA-F]{6}$/;

/** A template without a rendered preview shows its layout's colours (when it names valid ones). */
function layoutTint(x: Template): CSSProperties | undefined {
  const colors = x.layout.colors;
  if (!colors || typeof colors !== 'object') return undefined;
  const { background, text } = colors as Record<string, unknown>;
  if (typeof background !== 'string' || typeof text !== 'string' || !HEX.test(background) || !HEX.test(text)) return undefined;
  return { background, color: text };
}

export function AdCreatives() {
  const { t } = useTranslation();
  useDocumentTitle(t('adCreatives.title'));
  const [category, setCategory] = useState('');
  const [templateId, setTemplateId] = useState<string | null>(null);
  const categories = useQuery({ queryKey: productKeys.categories, queryFn: productsApi.categories, select: (page) => page.data });
  // The last category's templates stay in view while the next one's load.
  const templates = useQuery({
    queryKey: productKeys.templates(category),
    queryFn: () => productsApi.templates(category || undefined),
    select: (page) => page.data,
    placeholderData: (previous) => previous,
  });
  const [known, setKnown] = useState<Record<string, Template>>({});
  const template = templateId ? (templates.data?.find((x) => x.id === templateId) ?? known[templateId]) : undefined;
  const generic = t('common.genericError');

  const pick = (x: Template) => {
    setKnown((k) => ({ ...k, [x.id]: x }));
    setTemplateId(x.id);
    // The form is next: bring it into view on a phone, where it sits below the library.
    requestAnimationFrame(() => document.getElementById('ad-form-title')?.scrollIntoView({ block: 'start', behavior: 'smooth' }));
  };

  return (
    <div className="ad-creatives">
      <section className="hero">
        <p className="eyebrow">{t('studios.ad-creatives')}</p>
        <h1>{t('adCreatives.heading')}</h1>
        <p className="muted">{t('adCreatives.intro')}</p>
      </section>

      <section className="card" aria-labelledby="templates-title">
        <h2 id="templates-title">{t('adCreatives.templates')}</h2>
        {categories.error && <Alert>{describeError(categories.error, [], generic).message}</Alert>}
        <div className="chip-row" role="group" aria-label={t('adCreatives.categories')} data-testid="categories">
          {[{ slug: '', name: t('adCreatives.allCategories'), id: 'all' }, ...(categories.data ?? [])].map((c) => (
            <button key={c.id} type="button" className={`chip${category === c.slug ? ' active' : ''}`} aria-pressed={category === c.slug} onClick={() => setCategory(c.slug)}>
              {c.name}
            </button>
          ))}
        </div>
        {templates.error && <Alert>{describeError(templates.error, [], generic).message}</Alert>}
        {!templates.data ? (
          !templates.error && <Spinner label={t('adCreatives.loading')} />
        ) : templates.data.length === 0 ? (
          <p className="muted" data-testid="templates-empty">
            {t('adCreatives.noTemplates')}
          </p>
        ) : (
          <ul className="template-grid" data-testid="template-grid">
            {templates.data.map((x) => (
              <li key={x.id} className={`template-card${templateId === x.id ? ' active' : ''}`} data-testid="template-card">
                <div className="template-preview" style={x.preview_url ? undefined : layoutTint(x)}>
                  {x.preview_url ? <img src={x.preview_url} alt="" loading="lazy" /> : <span className="thumb-empty">{t('adCreatives.noPreview')}</span>}
                </div>
                <div className="template-meta">
                  <strong>
                    <bdi>{x.name}</bdi>
                  </strong>
                  <span className="muted small">
                    {[x.width && x.height ? `${x.width}×${x.height}` : null, x.style, x.industry].filter(Boolean).join(' · ')}
                  </span>
                  {x.is_featured && <span className="badge">{t('adCreatives.featured')}</span>}
                </div>
                <button type="button" className="button button-secondary button-small" aria-pressed={templateId === x.id} onClick={() => pick(x)} data-testid="use-template">
                  {templateId === x.id ? t('adCreatives.chosen') : t('adCreatives.use')}
                  <span className="visually-hidden">
                    {' '}
                    <bdi>{x.name}</bdi>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <div className="studio-layout">
        {template ? <AdForm key={template.id} template={template} /> : <div className="card empty" data-testid="no-template"><p>{t('adCreatives.pickTemplate')}</p></div>}
        <AdResults />
      </div>
    </div>
  );
}

/** The newest recorded metrics of a template, when any were recorded. */
function Metrics({ templateId }: { templateId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const metrics = useQuery({ queryKey: productKeys.metrics(templateId), queryFn: () => productsApi.templateMetrics(templateId), select: (page) => page.data });
  if (metrics.error) return <p className="field-error">{describeError(metrics.error, [], t('common.genericError')).message}</p>;
  if (!metrics.data) return <Spinner label={t('common.loading')} />;
  const latest = [...metrics.data].sort((a, b) => b.recorded_at.localeCompare(a.recorded_at))[0];
  if (!latest) return <p className="muted small">{t('adCreatives.noMetrics')}</p>;
  const pct = (v: number | null) => (v === null ? '—' : t('adCreatives.percent', { n: Math.round(v * 10000) / 100 }));
  return (
    <dl className="details metrics" data-testid="template-metrics">
      <div>
        <dt>{t('adCreatives.impressions')}</dt>
        <dd>{format.number(latest.impressions)}</dd>
      </div>
      <div>
        <dt>{t('adCreatives.ctr')}</dt>
        <dd>{pct(latest.ctr)}</dd>
      </div>
      <div>
        <dt>{t('adCreatives.conversion')}</dt>
        <dd>{pct(latest.conversion_rate)}</dd>
      </div>
      <div>
        <dt>{t('adCreatives.engagement')}</dt>
        <dd>{pct(latest.engagement_rate)}</dd>
      </div>
      <div>
        <dt>{t('adCreatives.recorded')}</dt>
        <dd>{format.date(latest.recorded_at)}</dd>
      </div>
    </dl>
  );
}

const SERVER_FIELDS = ['template_id', 'source_asset_ids', 'params.headline', 'params.body', 'params.cta', 'params.brand_colors', 'params.size'];

/** The ad type as this installation offers it, then the form (its defaults come from the type). */
function AdForm({ template }: { template: Template }) {
  const { t } = useTranslation();
  const types = useStudioTypes('ad-creatives', (x) => x.type === TYPE);
  const type = types.data?.[0];
  if (types.error) return <Alert>{describeError(types.error, [], t('common.genericError')).message}</Alert>;
  if (!types.data) return <Spinner label={t('common.loading')} />;
  if (!type) return <Alert kind="info">{t('studio.noTypes')}</Alert>;
  return <AdFormFields template={template} type={type} />;
}

function AdFormFields({ template, type }: { template: Template; type: GenerationType }) {
  const { t } = useTranslation();
  const { user, reload } = useSignedIn();
  const client = useQueryClient();
  const sizeSchema = (type.params_schema as JsonSchema).properties?.size;
  const sizes = sizeSchema ? kindOf(sizeSchema) : null;
  const sizeOptions = sizes?.kind === 'choice' ? sizes.options.map(String) : [];
  const defaultSize = typeof sizeSchema?.default === 'string' ? sizeSchema.default : (sizeOptions[0] ?? '');
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { headline: '', body: '', cta: '', color: '', size: defaultSize, images: [] } });
  const { errors, isSubmitting } = form.formState;
  const [error, setError] = useState<FormError | null>(null);
  const [short, setShort] = useState(false);
  const server = error?.fields ?? {};
  const price = type.credits_per_output;

  const submit = form.handleSubmit(async (v) => {
    setError(null);
    setShort(false);
    try {
      const g = await api.generate({
        type: TYPE,
        template_id: template.id,
        source_asset_ids: v.images,
        params: {
          headline: v.headline.trim(),
          ...(v.body.trim() ? { body: v.body.trim() } : {}),
          ...(v.cta.trim() ? { cta: v.cta.trim() } : {}),
          brand_colors: v.color ? [v.color] : [],
          ...(v.size || defaultSize ? { size: v.size || defaultSize } : {}),
        },
      });
      client.setQueryData(productKeys.generationsOfType(TYPE), (page: Awaited<ReturnType<typeof productsApi.generationsOfType>> | undefined) =>
        page ? { ...page, data: [g, ...page.data.filter((x) => x.id !== g.id)] } : page,
      );
    } catch (err) {
      if (err instanceof ApiError && err.status === 402) setShort(true);
      else setError(describeError(err, SERVER_FIELDS, t('common.genericError')));
    } finally {
      await reload();
    }
  });

  return (
    <form className="card studio-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="ad-form-title" data-testid="ad-form">
      <h2 id="ad-form-title">{t('adCreatives.make', { name: template.name })}</h2>
      <div className="template-chosen">
        {template.preview_url && <img src={template.preview_url} alt={t('adCreatives.previewOf', { name: template.name })} className="chain-thumb" />}
        <Metrics templateId={template.id} />
      </div>
      <Field id="ad-headline" label={t('adCreatives.headline')} required maxLength={80} dir="auto" {...form.register('headline')} error={errors.headline ? t('adCreatives.headlineInvalid') : server['params.headline']} />
      <div className={`field${server['params.body'] ? ' has-error' : ''}`}>
        <label htmlFor="ad-body">{t('common.optional', { label: t('adCreatives.body') })}</label>
        <textarea id="ad-body" rows={3} maxLength={280} dir="auto" {...form.register('body')} />
        {server['params.body'] && <p className="field-error">{server['params.body']}</p>}
      </div>
      <Field id="ad-cta" label={t('common.optional', { label: t('adCreatives.cta') })} maxLength={30} dir="auto" {...form.register('cta')} error={errors.cta ? t('productShots.tooLong') : server['params.cta']} />
      <Field
        id="ad-color"
        label={t('common.optional', { label: t('adCreatives.brandColor') })}
        placeholder="#c0392b"
        dir="ltr"
        hint={t('adCreatives.colorHint')}
        {...form.register('color')}
        error={errors.color ? t('adCreatives.colorInvalid') : server['params.brand_colors']}
      />
      {sizeOptions.length > 0 && (
        <div className="field">
          <label htmlFor="ad-size">{t('adCreatives.size')}</label>
          <select id="ad-size" {...form.register('size')}>
            {sizeOptions.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      )}
      <Controller
        control={form.control}
        name="images"
        render={({ field }) => (
          <LibraryImages selected={field.value} onSelected={field.onChange} min={type.sources.min} max={type.sources.max} error={server.source_asset_ids} />
        )}
      />
      <p className="field-hint">{t('adCreatives.photoHint')}</p>
      <p className={`studio-cost${price > user.credits.available ? ' over' : ''}`} aria-live="polite">
        {t('studio.cost', { count: price, balance: user.credits.available })}
      </p>
      {user.plan?.has_watermark && <p className="field-hint">{t('adCreatives.watermark')}</p>}
      {short && (
        <Alert testId="ad-insufficient">
          {t('productShots.notEnough')} <Link to="/billing">{t('studio.buyInBilling')}</Link>.
        </Alert>
      )}
      <FormErrorAlert error={error} />
      <button type="submit" className="button button-primary" disabled={isSubmitting || type.providers.length === 0} data-testid="ad-submit">
        {isSubmitting ? t('studio.starting') : t('adCreatives.create')}
      </button>
    </form>
  );
}

function AdResults() {
  const { t } = useTranslation();
  const { reload } = useSignedIn();
  const client = useQueryClient();
  const list = useQuery({ queryKey: productKeys.generationsOfType(TYPE), queryFn: () => productsApi.generationsOfType(TYPE), select: (page) => page.data });
  const onUpdate = (g: Generation) => {
    client.setQueryData(productKeys.generationsOfType(TYPE), (page: Awaited<ReturnType<typeof productsApi.generationsOfType>> | undefined) =>
      page ? { ...page, data: page.data.map((x) => (x.id === g.id ? g : x)) } : page,
    );
    if (FINAL_STATUSES.has(g.status)) void reload();
  };
  return <RecentGenerations generations={list.data ?? (list.error ? [] : null)} error={list.error ? describeError(list.error, [], t('common.genericError')).message : null} onUpdate={onUpdate} />;
}
