/**
 * GET /api/v1/config (no auth): what this installation offers, for its clients to shape themselves
 * by — a headshots installation's web app looks like a headshots product, not a menu of five.
 * Payment providers are the preset's that are also configured here; `sign_up.oauth` lists the
 * OAuth providers configured (`google`, `github`), for the sign-in buttons.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { configuredOAuthProviders } from '../modules/accounts/index.ts';
import { enabledProviders, paymentProviders } from '../modules/billing/index.ts';
import { studios } from '../modules/generation/providers/ids.ts';
import { presetNames } from './presets.ts';

export const ZInstallationConfig = z.object({
  preset: z.enum(presetNames),
  product_name: z.string(),
  studios: z.array(z.enum(studios)),
  sign_up: z.object({ email: z.boolean(), phone: z.boolean(), oauth: z.array(z.string()) }),
  currency: z.string(),
  locales: z.array(z.string()),
  default_locale: z.string(),
  payment_providers: z.array(z.enum(paymentProviders)),
});
export type TInstallationConfig = z.infer<typeof ZInstallationConfig>;

export function installationConfig(config: Pick<Config, 'preset' | 'generation' | 'payments' | 'oauth'>): TInstallationConfig {
  const p = config.preset;
  const configured = new Set(enabledProviders(config.payments));
  return {
    preset: p.name,
    product_name: p.productName,
    studios: config.generation.studios,
    sign_up: { email: p.signUp.email, phone: p.signUp.phone, oauth: configuredOAuthProviders(config) },
    currency: p.currency,
    locales: [...p.locales],
    default_locale: p.defaultLocale,
    payment_providers: p.paymentProviders.filter((name) => configured.has(name)),
  };
}

export async function configRoutes(app: FastifyInstance, config: Pick<Config, 'preset' | 'generation' | 'payments' | 'oauth'>): Promise<void> {
  const view = installationConfig(config);
  app.withTypeProvider<ZodTypeProvider>().get(
    '/config',
    { schema: { tags: ['system'], summary: 'What this installation offers: product, studios, sign-up methods, currency, locales, payment providers', response: { 200: ZInstallationConfig } } },
    async () => view,
  );
}
