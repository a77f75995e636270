/**
 * buildApp(deps) → a ready Fastify instance. Everything the app talks to arrives in `deps`, so the
 * CLI, the tests and the benchmarks build the same app with different parts.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import { accountsRoutes, createAccountsModule } from './modules/accounts/index.ts';
import { adminSystemRoutes, createSystemService } from './modules/admin/index.ts';
import { billingRoutes, createBillingModule, creditInvariantReport } from './modules/billing/index.ts';
import { catalogRoutes, createCatalogLookup, createCatalogModule, createSubjectsService, subjectsRoutes } from './modules/catalog/index.ts';
import { createGenerationModule, generationRoutes, type GenerationOptions } from './modules/generation/index.ts';
import { createAssetLinks, createMediaModule, mediaRoutes } from './modules/media/index.ts';
import { createPrivacyModule, privacyRoutes } from './modules/privacy/index.ts';
import type { Clock } from './platform/clock.ts';
import type { Database } from './platform/db/database.ts';
import { registerAuth } from './platform/http/auth.ts';
import { registerErrorHandling } from './platform/http/error-handler.ts';
import { registerOpenApi } from './platform/http/openapi.ts';
import { registerRateLimit } from './platform/http/rate-limit.ts';
import { registerSecurityHeaders } from './platform/http/security.ts';
import { isWebAppBuilt, registerWebApp, spaFallback } from './platform/http/web.ts';
import { loggerOptions, type Logger } from './platform/logger.ts';
import type { Mailer } from './platform/mail/mailer.ts';
import { outboxRoutes } from './platform/mail/outbox.routes.ts';
import { createMetrics, registerMetrics, type Metrics } from './platform/metrics.ts';
import { opsRoutes } from './platform/ops.routes.ts';
import type { Queue } from './platform/queue/queue.ts';
import type { SmsSender } from './platform/sms/sms.ts';
import type { Storage } from './platform/storage/index.ts';

export const VERSION = '0.1.0';
export const defaultWebRoot = fileURLToPath(new URL('../web/dist', import.meta.url));

export interface AppDeps {
  config: Config;
  database: Database;
  queue: Queue;
  clock: Clock;
  /** Server secret: signs access tokens, keys OTP hashes. */
  secret: string;
  mailer: Mailer;
  sms: SmsSender;
  /** Where uploaded and generated files live. */
  storage: Storage;
  metrics?: Metrics;
  /** Where the built SPA lives; null serves no web app (API only). */
  webRoot?: string | null;
  /** A logger to use instead of one built from config (tests pass a silent one). */
  logger?: Logger;
  /** Providers, watermark rule and catalog lookup of the generation engine (built from config when absent). */
  generation?: GenerationOptions;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Cookies are marked Secure whenever the app is served over https (always in production). */
const secureCookies = (config: Config): boolean => config.isProduction || Boolean(config.publicUrl?.startsWith('https:'));

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: loggerOptions(config.logLevel) }),
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    // Take the caller's X-Request-Id when it is sane, so one id follows a request across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const webRoot = deps.webRoot === undefined ? defaultWebRoot : deps.webRoot;
  const serveWeb = webRoot !== null && isWebAppBuilt(webRoot);
  if (webRoot && !serveWeb) app.log.warn({ webRoot }, 'web app not built (npm run build:web); serving the API only');
  registerErrorHandling(app, serveWeb ? { notFound: spaFallback } : {});
  await registerSecurityHeaders(app, { isProduction: config.isProduction });
  await app.register(cookie);
  await registerRateLimit(app, { enabled: config.rateLimit, redisUrl: config.redisUrl });
  const metrics = deps.metrics ?? createMetrics();
  registerMetrics(app, metrics);
  await registerOpenApi(app, { version: VERSION });

  // Billing imports accounts; what accounts and media need of billing is handed to them here.
  const billing = createBillingModule({ ...deps, log: app.log as Logger });
  const privacy = createPrivacyModule({ ...deps, db: deps.database.db, log: app.log as Logger });
  const media = createMediaModule({ ...deps, log: app.log as Logger, limits: billing.planLimits });
  const accounts = createAccountsModule({ ...deps, log: app.log as Logger, ownsAsset: media.assets.isOwnedBy, planOf: billing.planLimits.view, avatarUrl: media.assets.avatarUrl });
  registerAuth(app, accounts.resolvePrincipal);
  const catalog = createCatalogModule({ ...deps, links: createAssetLinks(deps) });
  const generation = createGenerationModule({
    ...deps,
    ...deps.generation,
    catalog: deps.generation?.catalog ?? createCatalogLookup({ db: deps.database.db, clock: deps.clock }),
    limits: billing.planLimits,
    log: app.log as Logger,
  });
  // A subject's training is a generation submitted through the engine's own path.
  const subjects = createSubjectsService({ db: deps.database.db, clock: deps.clock, submit: generation.service.submit });

  await app.register(
    async (api) => {
      await accountsRoutes(api, accounts, { secureCookies: secureCookies(config) });
      await billingRoutes(api, billing);
      await mediaRoutes(api, media, { maxUploadBytes: config.uploads.maxBytes });
      await privacyRoutes(api, privacy);
      await adminSystemRoutes(api, createSystemService({ ...deps, version: VERSION, log: app.log as Logger, paymentProviders: billing.offers.providers().providers, creditInvariants: () => creditInvariantReport(deps.database.db) }));
      await catalogRoutes(api, catalog);
      await generationRoutes(api, generation);
      await subjectsRoutes(api, subjects, generation.idempotency);
      if (config.devOutbox) await outboxRoutes(api, { db: deps.database.db });
    },
    { prefix: '/api/v1' },
  );
  await opsRoutes(app, { database: deps.database, queue: deps.queue, metrics, storage: deps.storage });

  if (serveWeb) await registerWebApp(app, { root: webRoot });

  await app.ready();
  return app;
}
