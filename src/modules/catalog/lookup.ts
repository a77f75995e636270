/** What the generation engine asks of the catalog: products' images, subjects, templates' layouts, styles' prompts. */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import type { CatalogLookup } from './engine-contract.ts';
import { findProduct, imagesOf } from './products.queries.ts';
import { styleKinds, type StyleKind } from './catalog.tables.ts';
import { findStyleByKey, listStyles } from './styles.queries.ts';
import { subjectCatalog } from './subjects.service.ts';
import { findTemplate } from './templates.queries.ts';

const isStyleKind = (k: string): k is StyleKind => (styleKinds as readonly string[]).includes(k);

export function createCatalogLookup(deps: { db: Db; clock: Clock }): CatalogLookup {
  return {
    // Subjects: their photos and training artifacts, and the end of a training (`settled`).
    ...subjectCatalog(deps),
    async product(userId, id, db = deps.db) {
      if (!(await findProduct(db, userId, id))) return undefined;
      // Primary first, then by position: the engine takes the first few as its sources.
      const images = await imagesOf(db, [id]);
      return { imageAssetIds: [...images.filter((i) => i.image.isPrimary), ...images.filter((i) => !i.image.isPrimary)].map((i) => i.asset.id) };
    },
    async template(id, db = deps.db) {
      const t = await findTemplate(db, id);
      if (!t) return undefined;
      return {
        context: {
          template: { id: t.id, name: t.name, size: t.size, width: t.width, height: t.height, format: t.format, industry: t.industry, style: t.style, campaign_type: t.campaignType, layout: t.layout },
        },
      };
    },
    async style(key, db = deps.db) {
      const s = await findStyleByKey(db, key);
      return s && { kind: s.kind, context: { style_prompt: s.prompt, style_params: s.params, style_kind: s.kind } };
    },
    async styleKeys(kind, db = deps.db) {
      if (!isStyleKind(kind)) return [];
      return (await listStyles(db, { kind })).map((s) => s.key);
    },
  };
}
