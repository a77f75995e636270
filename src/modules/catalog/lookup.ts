/** What the generation engine asks of the catalog: products' images, templates' layouts, styles' prompts. */
import type { Db } from '../../platform/db/types.ts';
import type { CatalogLookup } from '../generation/index.ts';
import { findProduct, imagesOf } from './products.queries.ts';
import { findStyleByKey } from './styles.queries.ts';
import { findTemplate } from './templates.queries.ts';

export function createCatalogLookup(deps: { db: Db }): CatalogLookup {
  return {
    async product(userId, id) {
      if (!(await findProduct(deps.db, userId, id))) return undefined;
      // Primary first, then by position: the engine takes the first few as its sources.
      return { imageAssetIds: (await imagesOf(deps.db, [id])).map((i) => i.asset.id) };
    },
    // Subjects arrive with subject training; until then no subject id resolves.
    subject: async () => undefined,
    async template(id) {
      const t = await findTemplate(deps.db, id);
      if (!t) return undefined;
      return {
        context: {
          template: { id: t.id, name: t.name, size: t.size, width: t.width, height: t.height, format: t.format, industry: t.industry, style: t.style, campaign_type: t.campaignType, layout: t.layout },
        },
      };
    },
    async style(key) {
      const s = await findStyleByKey(deps.db, key);
      return s && { context: { style_prompt: s.prompt, style_params: s.params, style_kind: s.kind } };
    },
  };
}
