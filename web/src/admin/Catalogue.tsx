/**
 * The catalogue: every kind the admin API offers, one tab each (the tab is in the address:
 * /admin/catalogue/<kind>), all shown by the one list-and-form pattern of resource.tsx.
 */
import { useTranslation } from 'react-i18next';
import { NavLink, useParams } from 'react-router';
import { useDocumentTitle } from '../ui.tsx';
import { catalogueApi, GENERATION_TYPES } from './api.ts';
import { AdminHeader } from './kit.tsx';
import { resource, ResourceView, type AnyResource, type CatalogueKind } from './resource.tsx';
import { TemplateMetrics } from './TemplateMetrics.tsx';

const RESOURCES: Record<CatalogueKind, AnyResource> = {
  packages: resource({
    ...catalogueApi.packages,
    columns: ['name', 'credits', 'amount_minor', 'is_active', 'is_featured', 'sort_order'],
    fields: [
      { name: 'name', kind: 'text', required: true, only: 'create' },
      { name: 'description', kind: 'textarea', nullable: true },
      { name: 'credits', kind: 'number', required: true },
      { name: 'amount_minor', kind: 'number', required: true },
      { name: 'currency', kind: 'text', required: true },
      { name: 'credits_valid_days', kind: 'number', nullable: true },
      { name: 'sort_order', kind: 'number' },
      { name: 'is_active', kind: 'boolean' },
      { name: 'is_featured', kind: 'boolean' },
      { name: 'provider_price_ids', kind: 'json' },
    ],
  }),
  plans: resource({
    ...catalogueApi.plans,
    columns: ['name', 'display_name', 'audience', 'billing_period', 'amount_minor', 'credits_per_period', 'is_active'],
    fields: [
      { name: 'name', kind: 'text', required: true, only: 'create' },
      { name: 'display_name', kind: 'text', required: true },
      { name: 'description', kind: 'textarea', nullable: true },
      { name: 'audience', kind: ['user', 'vendor'], required: true },
      { name: 'billing_period', kind: ['none', 'month', 'year'], required: true },
      { name: 'amount_minor', kind: 'number', required: true },
      { name: 'currency', kind: 'text', required: true },
      { name: 'credits_per_period', kind: 'number' },
      { name: 'features', kind: 'list' },
      { name: 'gallery_limit', kind: 'number', nullable: true },
      { name: 'conversion_limit', kind: 'number', nullable: true },
      { name: 'retention_days', kind: 'number', nullable: true },
      { name: 'upload_retention_days', kind: 'number', nullable: true },
      { name: 'upload_storage_mb', kind: 'number', nullable: true },
      { name: 'uploads_per_hour', kind: 'number', nullable: true },
      { name: 'sort_order', kind: 'number' },
      { name: 'has_watermark', kind: 'boolean' },
      { name: 'is_active', kind: 'boolean' },
      { name: 'provider_price_ids', kind: 'json' },
    ],
  }),
  coupons: resource({
    ...catalogueApi.coupons,
    columns: ['code', 'type', 'value', 'uses_count', 'max_uses', 'valid_until', 'is_active'],
    fields: [
      { name: 'code', kind: 'text', required: true, only: 'create' },
      { name: 'type', kind: ['percentage', 'fixed_amount', 'credits'], required: true, only: 'create' },
      { name: 'value', kind: 'number', required: true, only: 'create' },
      { name: 'currency', kind: 'text', only: 'create' },
      { name: 'per_user_limit', kind: 'number', only: 'create' },
      { name: 'valid_from', kind: 'datetime', nullable: true, only: 'create' },
      { name: 'description', kind: 'textarea', nullable: true },
      { name: 'max_uses', kind: 'number', nullable: true },
      { name: 'valid_until', kind: 'datetime', nullable: true },
      { name: 'is_active', kind: 'boolean' },
    ],
  }),
  giftCards: resource({
    ...catalogueApi.giftCards,
    columns: ['code_last4', 'credits', 'status', 'source', 'recipient_email', 'expires_at', 'created_at'],
    fields: [
      { name: 'credits', kind: 'number', required: true, only: 'create' },
      { name: 'recipient_email', kind: 'text', nullable: true, only: 'create' },
      { name: 'expires_at', kind: 'datetime', nullable: true },
      { name: 'is_active', kind: 'boolean', only: 'update' },
    ],
  }),
  templates: resource({
    ...catalogueApi.templates,
    columns: ['name', 'industry', 'campaign_type', 'format', 'is_featured', 'is_active'],
    fields: [
      { name: 'name', kind: 'text', required: true },
      { name: 'description', kind: 'textarea', nullable: true },
      { name: 'categories', kind: 'list' },
      { name: 'industry', kind: 'text', nullable: true },
      { name: 'campaign_type', kind: 'text', nullable: true },
      { name: 'style', kind: 'text', nullable: true },
      { name: 'format', kind: 'text', nullable: true },
      { name: 'size', kind: 'text', nullable: true },
      { name: 'width', kind: 'number', nullable: true },
      { name: 'height', kind: 'number', nullable: true },
      { name: 'preview_url', kind: 'text', nullable: true },
      { name: 'is_featured', kind: 'boolean' },
      { name: 'is_active', kind: 'boolean' },
      { name: 'layout', kind: 'json' },
    ],
    panel: { label: 'metrics', Panel: TemplateMetrics },
  }),
  categories: resource({
    ...catalogueApi.categories,
    columns: ['name', 'slug', 'sort_order'],
    fields: [
      { name: 'name', kind: 'text', required: true },
      { name: 'slug', kind: 'text', required: true },
      { name: 'description', kind: 'textarea', nullable: true },
      { name: 'sort_order', kind: 'number' },
    ],
  }),
  styles: resource({
    ...catalogueApi.styles,
    columns: ['name', 'key', 'studio', 'kind', 'sort_order', 'is_active'],
    fields: [
      { name: 'name', kind: 'text', required: true },
      { name: 'key', kind: 'text', required: true },
      { name: 'studio', kind: 'text', required: true },
      { name: 'kind', kind: ['style', 'background', 'scene'], required: true },
      { name: 'prompt', kind: 'textarea' },
      { name: 'preview_url', kind: 'text', nullable: true },
      { name: 'sort_order', kind: 'number' },
      { name: 'is_active', kind: 'boolean' },
      { name: 'params', kind: 'json' },
    ],
  }),
  prices: resource({
    ...catalogueApi.prices,
    columns: ['type', 'credits_per_output', 'is_active', 'updated_at'],
    fields: [
      { name: 'type', kind: GENERATION_TYPES, required: true, only: 'create' },
      { name: 'credits_per_output', kind: 'number', required: true },
      { name: 'is_active', kind: 'boolean' },
    ],
  }),
  apiCosts: resource({
    ...catalogueApi.apiCosts,
    columns: ['provider', 'operation_type', 'model', 'cost_per_operation_micros', 'currency', 'effective_date', 'is_active'],
    fields: [
      { name: 'provider', kind: ['local', 'gemini', 'openai', 'replicate', 'fal'], required: true, only: 'create' },
      { name: 'operation_type', kind: ['*', ...GENERATION_TYPES], required: true, only: 'create' },
      { name: 'model', kind: 'text', nullable: true },
      { name: 'cost_per_operation_micros', kind: 'number', required: true },
      { name: 'currency', kind: 'text' },
      { name: 'effective_date', kind: 'date', required: true },
      { name: 'is_active', kind: 'boolean' },
    ],
  }),
};

const KINDS = Object.keys(RESOURCES) as CatalogueKind[];
const isKind = (k: string | undefined): k is CatalogueKind => k !== undefined && Object.hasOwn(RESOURCES, k);

export function Catalogue() {
  const { t } = useTranslation();
  const params = useParams();
  const kind: CatalogueKind = isKind(params.kind) ? params.kind : 'packages';
  useDocumentTitle(`${t(`admin.catalogue.kinds.${kind}`)} · ${t('admin.catalogue.title')}`);
  return (
    <section className="card" data-testid="admin-catalogue">
      <AdminHeader title={t('admin.catalogue.title')} lead={t('admin.catalogue.lead')} />
      <nav className="admin-tabs" aria-label={t('admin.catalogue.title')}>
        {KINDS.map((k) => (
          <NavLink key={k} to={`/admin/catalogue/${k}`} className={() => `button button-small ${k === kind ? 'button-primary' : 'button-secondary'}`} aria-current={k === kind ? 'page' : undefined}>
            {t(`admin.catalogue.kinds.${k}`)}
          </NavLink>
        ))}
      </nav>
      <ResourceView kind={kind} spec={RESOURCES[kind]} />
    </section>
  );
}
