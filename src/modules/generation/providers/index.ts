/**
 * The image providers this deployment can use, built from configuration. Each adapter registers
 * here only when it is configured (the local one always), so routing never picks one that cannot
 * run. The adapters are added as they land; until then the list holds what exists.
 */
import type { Config } from '../../../config.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { ImageProvider } from './provider.ts';

export interface ProviderDeps {
  clock: Clock;
  log: Logger;
  fetch?: typeof fetch;
}

export function createProviders(_config: Config, _deps: ProviderDeps): ImageProvider[] {
  const providers: ImageProvider[] = [];
  // local: providers.push(createLocalProvider(...)) — wired in when providers/local/ lands.
  // gemini | openai | replicate | fal: each pushed when its key is configured.
  return providers;
}

export * from './provider.ts';
