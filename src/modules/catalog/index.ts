/** What other modules and the composition root may use of the catalog. */
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/types.ts';
import type { AssetLinks } from '../media/index.ts';
import { productsRoutes } from './products.routes.ts';
import { createProductsService, type ProductsService } from './products.service.ts';
import { createStylesService, type StylesService } from './styles.service.ts';
import { templatesRoutes } from './templates.routes.ts';
import { createTemplatesService, type TemplatesService } from './templates.service.ts';

export { createCatalogLookup } from './lookup.ts';
export type {
  CatalogLookup,
  JsonValue,
  ProductForEngine,
  SettledGeneration,
  StyleForEngine,
  StyleParams,
  SubjectForEngine,
  SubjectForProvider,
  TemplateForEngine,
  TemplateLayout,
} from './engine-contract.ts';
export { products, productImages, templates, categories, templateCategories, templateMetrics, styles } from './catalog.tables.ts';

export interface CatalogModule {
  products: ProductsService;
  templates: TemplatesService;
  styles: StylesService;
}

export interface CatalogDeps {
  db: Db;
  clock: Clock;
  /** Signed links to asset files (media's). */
  links: Pick<AssetLinks, 'link'>;
  /** The installation's public address, for the drawn template previews' links (relative when unset, as asset links are). */
  publicUrl: string | undefined;
}

export function createCatalogModule(deps: CatalogDeps): CatalogModule {
  const db = deps.db;
  return {
    products: createProductsService({ db, clock: deps.clock, links: deps.links }),
    templates: createTemplatesService({ db, clock: deps.clock, publicUrl: deps.publicUrl }),
    styles: createStylesService({ db, clock: deps.clock }),
  };
}

export async function catalogRoutes(app: FastifyInstance, catalog: CatalogModule): Promise<void> {
  await productsRoutes(app, catalog.products);
  await templatesRoutes(app, catalog.templates, catalog.styles);
}

export { subjects, subjectImages } from './subjects.tables.ts';
export { catalogUsesAsset } from './subjects.queries.ts';
export { subjectCatalog, createSubjectsService, type SubjectsService, type SubmitGeneration } from './subjects.service.ts';
export { subjectsRoutes } from './subjects.routes.ts';
export { LOCAL_SUBJECT_ARTIFACT, localSubjectOf, ZLocalSubject, type LocalSubject, type PreparedPhoto } from './subject-preparation.ts';
