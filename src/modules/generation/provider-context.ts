/**
 * The one place a provider's context is built (decision 043). The catalog's lookups hand back typed
 * rows (template with its layout, style with its prompt, subject with its training artifacts); this
 * puts them into a `ProviderContext` under the names every provider reads, so the catalog side and
 * the provider side cannot drift apart without a type error.
 */
import type { CatalogLookup } from '../catalog/index.ts';
import { ProviderError, type ProviderContext } from './providers/provider.ts';

/** The parts of a generation row the context is built from. */
export interface ContextSource {
  userId: string;
  productId: string | null;
  subjectId: string | null;
  templateId: string | null;
  style: string | null;
  params: Record<string, unknown>;
}

/** The context, and the subject's photos (the training set, and the person a local headshot cuts out). */
export interface BuiltContext {
  context: ProviderContext;
  subjectImageAssetIds: string[];
}

export async function buildProviderContext(catalog: CatalogLookup, g: ContextSource, opts: { needsSubject: boolean }): Promise<BuiltContext> {
  const context: ProviderContext = {};
  let subjectImageAssetIds: string[] = [];
  // A subject deleted since submission leaves a null id behind (its foreign key sets null).
  if (!g.subjectId && opts.needsSubject) throw new ProviderError('invalid_input', 'The subject of this generation no longer exists.');
  if (g.subjectId) {
    const subject = await catalog.subject(g.userId, g.subjectId);
    if (!subject) throw new ProviderError('invalid_input', `Subject ${g.subjectId} no longer exists.`);
    context.subject = subject.forProvider;
    subjectImageAssetIds = subject.imageAssetIds;
  }
  if (g.productId) {
    const product = await catalog.product(g.userId, g.productId);
    if (product) context.product = { id: product.id, name: product.name, customFields: product.customFields };
  }
  if (g.templateId) {
    const template = await catalog.template(g.templateId);
    if (template) context.template = template;
  }
  if (g.style) {
    context.style = (catalog.style ? await catalog.style(g.style) : undefined) ?? { key: g.style };
  }
  if (typeof g.params.reference_asset_id === 'string') context.referenceAssetId = g.params.reference_asset_id;
  return { context, subjectImageAssetIds };
}
