/** What the generation engine asks of the catalog: products' images, subjects, templates' layouts, styles' prompts. */
import type { Clock } from '../../platform/clock.ts';
import type { Db, DbOrTx, Tx } from '../../platform/db/types.ts';
import { findProduct, imagesOf } from './products.queries.ts';
import { findStyleByKey } from './styles.queries.ts';
import { subjectCatalog } from './subjects.service.ts';
import { findTemplate } from './templates.queries.ts';

/** A generation that has just ended, as the catalog hears of it (inside the ending transaction). */
export interface SettledGeneration {
  id: string;
  userId: string;
  type: string;
  subjectId: string | null;
  status: 'completed' | 'failed' | 'cancelled';
  artifacts?: Record<string, unknown> | undefined;
  outputAssetIds: string[];
  error?: { code: string; message: string } | undefined;
}

/** A subject as the engine sees it: its photos (the owner's assets, in order) and provider context. */
export interface SubjectForEngine {
  status: string;
  imageAssetIds: string[];
  /** trainedModel / triggerWord (decision 018) once trained; gender. */
  context: Record<string, unknown>;
}

/**
 * What the generation engine reads of the catalog (products, subjects, templates, styles). The engine
 * depends on the catalog, never the reverse: this contract lives here, and the engine's worker and
 * services get an implementation handed in by the composition root. A lookup made while
 * submitting gets the submitting transaction as `db` (on PGlite the only connection is held by it).
 * `settled` runs in the transaction that ends a generation, so a subject's training ends with it.
 */
export interface CatalogLookup {
  product(userId: string, id: string, db?: DbOrTx): Promise<{ imageAssetIds: string[] } | undefined>;
  subject(userId: string, id: string, db?: DbOrTx): Promise<SubjectForEngine | undefined>;
  template(id: string, db?: DbOrTx): Promise<{ context: Record<string, unknown> } | undefined>;
  /** A style, background or scene by key: its prompt and params for the provider. */
  style?(key: string, db?: DbOrTx): Promise<{ context: Record<string, unknown> } | undefined>;
  settled?(tx: Tx, generation: SettledGeneration): Promise<void>;
}


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
      return s && { context: { style_prompt: s.prompt, style_params: s.params, style_kind: s.kind } };
    },
  };
}
