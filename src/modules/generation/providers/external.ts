/**
 * The external image providers a deployment configured (each enabled by its key), built from
 * config. The engine adds the local provider and routes between them; `prices` lets it pass rows of
 * its api_costs table over the defaults in shared/costs.ts.
 */
import type { Config } from '../../../config.ts';
import type { Clock } from '../../../platform/clock.ts';
import { createFalProvider } from './fal/fal.ts';
import { createGeminiProvider } from './gemini/gemini.ts';
import { createOpenaiProvider } from './openai/openai.ts';
import type { ImageProvider } from './provider.ts';
import { createReplicateProvider } from './replicate/replicate.ts';
import type { PriceTable } from './shared/costs.ts';

export interface ExternalProviderDeps {
  fetch?: typeof fetch;
  clock?: Clock;
  prices?: Partial<Record<'gemini' | 'openai' | 'replicate' | 'fal', PriceTable>>;
}

export function createExternalProviders(config: Config['providers'], deps: ExternalProviderDeps = {}): ImageProvider[] {
  const common = { ...(deps.fetch ? { fetch: deps.fetch } : {}), ...(deps.clock ? { clock: deps.clock } : {}) };
  const providers: ImageProvider[] = [];
  if (config.gemini) providers.push(createGeminiProvider({ ...config.gemini, ...common, prices: deps.prices?.gemini }));
  if (config.openai) providers.push(createOpenaiProvider({ ...config.openai, ...common, prices: deps.prices?.openai }));
  if (config.replicate) providers.push(createReplicateProvider({ ...config.replicate, ...common, prices: deps.prices?.replicate }));
  if (config.fal) providers.push(createFalProvider({ ...config.fal, ...common, prices: deps.prices?.fal }));
  return providers;
}

export { resumeIdsFromCalls } from './shared/runs.ts';
export type { Price, PriceTable } from './shared/costs.ts';
