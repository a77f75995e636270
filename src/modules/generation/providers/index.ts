/**
 * The image providers this deployment can use, built from configuration: the `local` provider
 * always (it needs no network), and each external adapter when its key is configured, so routing
 * never picks one that cannot run.
 */
import type { Config } from '../../../config.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Logger } from '../../../platform/logger.ts';
import { createExternalProviders } from './external.ts';
import { createLocalProvider } from './local/index.ts';
import type { ImageProvider } from './provider.ts';

export interface ProviderDeps {
  clock: Clock;
  log: Logger;
  fetch?: typeof fetch;
}

/**
 * One local provider per process: its background-removal model (onnxruntime's native addon, in a
 * worker thread) loads once, its potrace worker starts once, and both are shared by the API's and
 * the workers' engine contexts.
 */
let sharedLocal: ImageProvider | undefined;
export const localProvider = (): ImageProvider => (sharedLocal ??= createLocalProvider());

export function createProviders(config: Config, deps: ProviderDeps): ImageProvider[] {
  return [localProvider(), ...createExternalProviders(config.providers, { clock: deps.clock, ...(deps.fetch ? { fetch: deps.fetch } : {}) })];
}

export * from './provider.ts';
