/** Templates, categories and template metrics: public reads, admin writes (audited). */
import type { Clock } from '../../platform/clock.ts';
import type { Db, DbOrTx } from '../../platform/db/types.ts';
import type { Principal } from '../../platform/http/auth.ts';
import { errors } from '../../platform/http/errors.ts';
import { createAdminWrite } from '../../platform/audit/admin-write.ts';
import type { RequestMeta as AdminMeta } from '../../platform/http/request-meta.ts';
import { categories, templateMetrics, templates } from './catalog.tables.ts';
import type * as dto from './templates.dto.ts';
import * as q from './templates.queries.ts';
import { defined } from '../../platform/defined.ts';

const templateFields = (b: dto.TPatchTemplateBody) =>
  defined({
    name: b.name,
    description: b.description,
    size: b.size,
    width: b.width,
    height: b.height,
    format: b.format,
    industry: b.industry,
    style: b.style,
    campaignType: b.campaign_type,
    layout: b.layout,
    previewUrl: b.preview_url,
    isFeatured: b.is_featured,
    isActive: b.is_active,
  });

const categoryView = (c: q.CategoryRow) => ({ id: c.id, name: c.name, slug: c.slug, description: c.description, sort_order: c.sortOrder });
const metricView = (m: q.MetricRow) => ({
  id: m.id,
  template_id: m.templateId,
  ctr: m.ctr,
  conversion_rate: m.conversionRate,
  impressions: m.impressions,
  engagement_rate: m.engagementRate,
  performance_data: m.performanceData,
  recorded_at: m.recordedAt.toISOString(),
});

export function createTemplatesService(deps: { db: Db; clock: Clock; publicUrl?: string | undefined }) {
  const write = createAdminWrite(deps);
  // A template without a preview of its own is shown by one drawn from its layout (GET /templates/{id}/preview.png).
  const drawnPreview = (id: string) => `${deps.publicUrl?.replace(/\/$/, '') ?? ''}/api/v1/templates/${id}/preview.png`;

  async function views(db: DbOrTx, rows: q.TemplateRow[]): Promise<dto.TTemplate[]> {
    const slugs = await q.categorySlugsOf(db, rows.map((r) => r.id));
    return rows.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      size: t.size,
      width: t.width,
      height: t.height,
      format: t.format,
      industry: t.industry,
      style: t.style,
      campaign_type: t.campaignType,
      layout: t.layout,
      preview_asset_id: t.previewAssetId,
      preview_url: t.previewUrl ?? drawnPreview(t.id),
      categories: slugs.filter((s) => s.templateId === t.id).map((s) => s.slug),
      is_featured: t.isFeatured,
      is_active: t.isActive,
      created_at: t.createdAt.toISOString(),
      updated_at: t.updatedAt.toISOString(),
    }));
  }

  async function setCategories(tx: DbOrTx, templateId: string, slugs: string[] | undefined) {
    if (slugs === undefined) return;
    const unique = [...new Set(slugs)];
    const found = await q.categoriesBySlug(tx, unique);
    const missing = unique.filter((s) => !found.some((c) => c.slug === s));
    if (missing.length > 0) throw errors.validation([{ path: 'categories', message: `unknown categories: ${missing.join(', ')}` }]);
    await q.setTemplateCategories(tx, templateId, found.map((c) => c.id));
  }

  const findOr404 = async (db: DbOrTx, id: string, includeInactive = false) => {
    const row = await q.findTemplate(db, id, { includeInactive });
    if (!row) throw errors.notFound('Template');
    return row;
  };

  return {
    async list(query: dto.TTemplateListQuery, opts: { includeInactive?: boolean } = {}) {
      const rows = await q.listTemplates(deps.db, { ...query, campaignType: query.campaign_type, ...opts });
      return { data: await views(deps.db, rows) };
    },
    get: async (id: string) => (await views(deps.db, [await findOr404(deps.db, id)]))[0]!,
    categories: async () => ({ data: (await q.listCategories(deps.db)).map(categoryView) }),
    /** Admins read the metrics of an inactive template too (they record them in the console). */
    async metrics(id: string, opts: { includeInactive?: boolean } = {}) {
      await findOr404(deps.db, id, opts.includeInactive);
      return { data: (await q.listMetrics(deps.db, id)).map(metricView) };
    },
    createTemplate: (admin: Principal, body: dto.TCreateTemplateBody, meta: AdminMeta) =>
      write(admin, meta, 'catalog.template.create', { type: 'template', table: templates }, body, async (tx) => {
        const now = deps.clock.now();
        const row = await q.insertTemplate(tx, { ...templateFields(body), name: body.name, createdAt: now, updatedAt: now });
        if (!row) throw errors.conflict('A template with this name exists.');
        await setCategories(tx, row.id, body.categories);
        return { id: row.id, view: (await views(tx, [row]))[0]! };
      }),
    updateTemplate: (admin: Principal, id: string, body: dto.TPatchTemplateBody, meta: AdminMeta) =>
      write(admin, meta, 'catalog.template.update', { type: 'template', table: templates, id }, body, async (tx) => {
        const row = await q.updateTemplate(tx, id, { ...templateFields(body), updatedAt: deps.clock.now() });
        if (!row) throw errors.notFound('Template');
        await setCategories(tx, id, body.categories);
        return { id, view: (await views(tx, [row]))[0]! };
      }),
    deleteTemplate: (admin: Principal, id: string, meta: AdminMeta) =>
      write(admin, meta, 'catalog.template.delete', { type: 'template', table: templates, id }, {}, async (tx) => {
        if (!(await q.deleteTemplate(tx, id))) throw errors.notFound('Template');
        return { id, view: undefined };
      }),
    addMetric: (admin: Principal, id: string, body: dto.TCreateMetricBody, meta: AdminMeta) =>
      write(admin, meta, 'catalog.template.metrics', { type: 'template' }, body, async (tx) => {
        await findOr404(tx, id, true);
        const now = deps.clock.now();
        const row = await q.insertMetric(tx, {
          templateId: id,
          ctr: body.ctr,
          conversionRate: body.conversion_rate,
          impressions: body.impressions ?? 0,
          engagementRate: body.engagement_rate,
          performanceData: body.performance_data ?? {},
          recordedAt: body.recorded_at ? new Date(body.recorded_at) : now,
          createdAt: now,
        });
        return { id, view: metricView(row) };
      }),
    updateMetric: (admin: Principal, id: string, metricId: string, body: dto.TPatchMetricBody, meta: AdminMeta) =>
      write(admin, meta, 'catalog.template.metrics.update', { type: 'template_metric', table: templateMetrics, id: metricId }, body, async (tx) => {
        const row = await q.updateMetric(
          tx,
          id,
          metricId,
          defined({
            ctr: body.ctr,
            conversionRate: body.conversion_rate,
            impressions: body.impressions,
            engagementRate: body.engagement_rate,
            performanceData: body.performance_data,
            recordedAt: body.recorded_at ? new Date(body.recorded_at) : undefined,
          }),
        );
        if (!row) throw errors.notFound('Template metric');
        return { id: metricId, view: metricView(row) };
      }),

    createCategory: (admin: Principal, body: dto.TCreateCategoryBody, meta: AdminMeta) =>
      write(admin, meta, 'catalog.category.create', { type: 'category', table: categories }, body, async (tx) => {
        const now = deps.clock.now();
        const row = await q.insertCategory(tx, { name: body.name, slug: body.slug, description: body.description, sortOrder: body.sort_order ?? 0, createdAt: now, updatedAt: now });
        if (!row) throw errors.conflict('A category with this slug exists.');
        return { id: row.id, view: categoryView(row) };
      }),
    updateCategory: (admin: Principal, id: string, body: dto.TPatchCategoryBody, meta: AdminMeta) =>
      write(admin, meta, 'catalog.category.update', { type: 'category', table: categories, id }, body, async (tx) => {
        const row = await q.updateCategory(tx, id, { ...defined({ name: body.name, slug: body.slug, description: body.description, sortOrder: body.sort_order }), updatedAt: deps.clock.now() });
        if (!row) throw errors.notFound('Category');
        return { id, view: categoryView(row) };
      }),
    deleteCategory: (admin: Principal, id: string, meta: AdminMeta) =>
      write(admin, meta, 'catalog.category.delete', { type: 'category', table: categories, id }, {}, async (tx) => {
        if (!(await q.deleteCategory(tx, id))) throw errors.notFound('Category');
        return { id, view: undefined };
      }),
  };
}
export type TemplatesService = ReturnType<typeof createTemplatesService>;
