/**
 * Which provider runs a type: the type's route from ATELIER_PROVIDER_ROUTES if it has one, else
 * ATELIER_PROVIDERS; the first provider in that order that is configured (present in the injected
 * list) and supports the type wins, so an unconfigured provider falls through to the next. A request
 * may name a provider; it must be configured and able to do the type.
 */
import type { Config } from '../../config.ts';
import { errors } from '../../platform/http/errors.ts';
import type { GenerationType, ImageProvider } from './providers/provider.ts';

export interface ProviderChoice {
  /** The providers that can run `type`, in routing order. */
  candidates(type: GenerationType): ImageProvider[];
  /** The provider for a new generation; 400 when the requested one cannot do the type, 400 provider_unavailable when none can. */
  choose(type: GenerationType, requested: string | undefined): ImageProvider;
  byId(id: string): ImageProvider | undefined;
}

export function createProviderChoice(config: Pick<Config['generation'], 'defaultProviders' | 'routes'>, providers: readonly ImageProvider[]): ProviderChoice {
  const byId = new Map(providers.map((p) => [p.id as string, p]));

  function candidates(type: GenerationType): ImageProvider[] {
    const order = config.routes[type] ?? config.defaultProviders;
    return order.map((id) => byId.get(id)).filter((p): p is ImageProvider => p !== undefined && p.supports(type));
  }

  return {
    candidates,
    byId: (id) => byId.get(id),
    choose(type, requested) {
      if (requested !== undefined) {
        const p = byId.get(requested);
        if (!p || !p.supports(type)) throw errors.validation([{ path: 'provider', message: `provider ${requested} cannot run ${type} here` }]);
        return p;
      }
      const first = candidates(type)[0];
      // Refused before anything is held: a type no configured provider can do fails fast.
      if (!first) {
        throw errors.providerUnavailable(
          type === 'generate' || type === 'subject_training'
            ? `${type} needs an external image provider (gemini, openai, replicate or fal); none is configured on this server`
            : `no configured provider can run ${type}`,
        );
      }
      return first;
    },
  };
}
