/** Each preset's catalogue; `all` is every product's at once, the first row of a key winning. */
import type { PresetName } from '../presets.ts';
import { adCreativesCatalogue } from './ad-creatives.ts';
import { headshotsCatalogue } from './headshots.ts';
import { printPrepCatalogue } from './print-prep.ts';
import { productShotsCatalogue } from './product-shots.ts';
import { styleStudioCatalogue } from './style-studio.ts';
import type { Catalogue } from './types.ts';

export type { Catalogue } from './types.ts';

/** The rows in order, each key's first one only. */
function first<T>(rows: T[], key: (row: T) => string): T[] {
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(key(r)) && Boolean(seen.add(key(r))));
}

function union(parts: Catalogue[]): Catalogue {
  return {
    packages: first(parts.flatMap((p) => p.packages), (r) => r.name),
    plans: first(parts.flatMap((p) => p.plans), (r) => r.name),
    styles: first(parts.flatMap((p) => p.styles), (r) => r.key),
    categories: first(parts.flatMap((p) => p.categories), (r) => r.slug),
    templates: first(parts.flatMap((p) => p.templates), (r) => r.name),
    prices: first(parts.flatMap((p) => p.prices), (r) => r.type),
  };
}

const byProduct = {
  // Style studio first: in `all`, its rial plans are the ones the migrations always seeded.
  'style-studio': styleStudioCatalogue,
  'product-shots': productShotsCatalogue,
  'print-prep': printPrepCatalogue,
  headshots: headshotsCatalogue,
  'ad-creatives': adCreativesCatalogue,
} as const;

export function catalogueOf(preset: PresetName): Catalogue {
  return preset === 'all' ? union(Object.values(byProduct)) : byProduct[preset];
}
