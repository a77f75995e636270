/** The contract between the catalog and the generation engine, which reads the catalog through it. */
import type { DbOrTx, Tx } from '../../platform/db/types.ts';
import type { LocalSubject } from './subject-preparation.ts';

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

/** A JSON value as stored in a jsonb column (a template's layout, a style's params). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A template's layout as its admin wrote it: free JSON. The ad-creatives preset writes boxes
 * (`image_box`, `headline`, `body`, `cta`, `logo` as `{ x, y, w, h }` fractions of the canvas),
 * `align`, `colors` and `fonts`; older layouts have a `kind` or a text `headline`. The local renderer
 * reads the boxes, colours and fonts (its `AdTemplateLayout`, decision 047), else `kind` and a text
 * `headline`; every entry is described to the external models.
 */
export type TemplateLayout = { [key: string]: JsonValue };

/** What a provider is told of a subject: who it is, and what a training left behind. */
export interface SubjectForProvider {
  gender: string;
  /** A trained model (Replicate version id, fal LoRA weights URL) and its trigger word (decision 018). */
  trainedModel?: string;
  triggerWord?: string;
  /** The local provider's preparation of the subject's faces (decision 030). */
  localSubject?: LocalSubject;
}

/** A subject as the engine sees it: its status, its photos (the owner's assets, in order) and what a provider is told. */
export interface SubjectForEngine {
  status: string;
  imageAssetIds: string[];
  forProvider: SubjectForProvider;
}

/** A template as a provider sees it. */
export interface TemplateForEngine {
  id: string;
  name: string;
  size: string | null;
  width: number | null;
  height: number | null;
  format: string | null;
  industry: string | null;
  style: string | null;
  campaignType: string | null;
  layout: TemplateLayout;
}

/** A style's parameters, as its admin wrote them. */
export type StyleParams = { [key: string]: JsonValue };

/** A style, background or scene of the catalog as a provider sees it. */
export interface StyleForEngine {
  key: string;
  name: string;
  kind: 'style' | 'background' | 'scene';
  /** Text for the external models; empty when the admin gave none. */
  prompt: string;
  params: StyleParams;
}

/** A product as the engine sees it: its images, primary first. */
export interface ProductForEngine {
  id: string;
  name: string;
  imageAssetIds: string[];
  customFields: { [key: string]: JsonValue };
}

/**
 * What the generation engine reads of the catalog (products, subjects, templates, styles). The engine
 * depends on the catalog, never the reverse: this contract lives here, and the engine's worker and
 * services get an implementation handed in by the composition root. A lookup made while
 * submitting gets the submitting transaction as `db` (on PGlite the only connection is held by it).
 * `settled` runs in the transaction that ends a generation, so a subject's training ends with it.
 */
export interface CatalogLookup {
  product(userId: string, id: string, db?: DbOrTx): Promise<ProductForEngine | undefined>;
  subject(userId: string, id: string, db?: DbOrTx): Promise<SubjectForEngine | undefined>;
  template(id: string, db?: DbOrTx): Promise<TemplateForEngine | undefined>;
  /** A style, background or scene by key: its prompt and params for the provider. */
  style?(key: string, db?: DbOrTx): Promise<StyleForEngine | undefined>;
  /** The keys of the active styles of a kind (admin-created ones too), in display order. */
  styleKeys?(kind: string, db?: DbOrTx): Promise<string[]>;
  settled?(tx: Tx, generation: SettledGeneration): Promise<void>;
}
