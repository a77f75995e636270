/** The contract between the catalog and the generation engine, which reads the catalog through it. */
import type { DbOrTx, Tx } from '../../platform/db/types.ts';

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
  /** An active style, background or scene by key: its kind, and its prompt and params for the provider. */
  style?(key: string, db?: DbOrTx): Promise<{ kind: string; context: Record<string, unknown> } | undefined>;
  /** The keys of the active styles of a kind (admin-created ones too), in display order. */
  styleKeys?(kind: string, db?: DbOrTx): Promise<string[]>;
  settled?(tx: Tx, generation: SettledGeneration): Promise<void>;
}
