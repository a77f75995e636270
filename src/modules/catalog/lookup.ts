/** What the generation engine asks of the catalog: products' images, subjects, templates' layouts, styles' prompts. */
import type { Queue } from '../../platform/queue/queue.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import type { CatalogLookup, JsonValue, TemplateLayout } from './engine-contract.ts';
import { findProduct, imagesOf } from './products.queries.ts';
import { styleKinds, type StyleKind } from './catalog.tables.ts';
import { findStyleByKey, listStyles } from './styles.queries.ts';
import { subjectCatalog } from './subjects.service.ts';
import { findTemplate } from './templates.queries.ts';

const isStyleKind = (k: string): k is StyleKind => (styleKinds as readonly string[]).includes(k);

export function createCatalogLookup(deps: { db: Db; clock: Clock; queue: Pick<Queue, 'send'> }): CatalogLookup {
  return {
    // Subjects: their photos and training artifacts, and the end of a training (`settled`).
    ...subjectCatalog(deps),
    async product(userId, id, db = deps.db) {
      const row = await findProduct(db, userId, id);
      if (!row) return undefined;
      // Primary first, then by position: the engine takes the first few as its sources.
      const images = await imagesOf(db, [id]);
      const imageAssetIds = [...images.filter((i) => i.image.isPrimary), ...images.filter((i) => !i.image.isPrimary)].map((i) => i.asset.id);
      return { id: row.id, name: row.name, imageAssetIds, customFields: jsonObject(row.customFields) };
    },
    async template(id, db = deps.db) {
      const t = await findTemplate(db, id);
      if (!t) return undefined;
      return {
        id: t.id,
        name: t.name,
        size: t.size,
        width: t.width,
        height: t.height,
        format: t.format,
        industry: t.industry,
        style: t.style,
        campaignType: t.campaignType,
        layout: layoutOf(t.layout),
      };
    },
    async style(key, db = deps.db) {
      const s = await findStyleByKey(db, key);
      return s && { key: s.key, name: s.name, kind: s.kind, prompt: s.prompt, params: jsonObject(s.params) };
    },
    async styleKeys(kind, db = deps.db) {
      if (!isStyleKind(kind)) return [];
      return (await listStyles(db, { kind })).map((s) => s.key);
    },
  };
}

/** A jsonb object read back as JSON values (it was written from JSON, so the round trip is exact). */
function jsonObject(value: Record<string, unknown>): { [key: string]: JsonValue } {
  return JSON.parse(JSON.stringify(value ?? {})) as { [key: string]: JsonValue };
}

/** A stored layout, as the JSON it was written as. */
const layoutOf = (value: Record<string, unknown>): TemplateLayout => jsonObject(value);
