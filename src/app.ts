/**
 * buildApp(deps) → a ready Fastify instance serving the modules the composition root built
 * (compose.ts). Everything the app talks to arrives in `deps`, so the CLI, the tests and the
 * benchmarks build the same app with different parts.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { VERSION, type Modules, type PlatformParts } from './compose.ts';
import type { Config } from './config.ts';
import { accountsRoutes, followAccountChanges, followAuthChanges } from './modules/accounts/index.ts';
import { adminAnalyticsRoutes, adminRecordsRoutes, adminSystemRoutes, adminUsersRoutes } from './modules/admin/index.ts';
import { billingRoutes } from './modules/billing/index.ts';
import { catalogRoutes, subjectsRoutes } from './modules/catalog/index.ts';
import { generationRoutes } from './modules/generation/index.ts';
import { mediaRoutes } from './modules/media/index.ts';
import { notificationsRoutes } from './modules/notifications/index.ts';
import { privacyRoutes } from './modules/privacy/index.ts';
import { registerAuth } from './platform/http/auth.ts';
import { answerAfterChangesHeard } from './platform/http/changes-heard.ts';
import { configRoutes } from './presets/config.routes.ts';
import { frameworkErrors, registerErrorHandling } from './platform/http/error-handler.ts';
import { registerOpenApi } from './platform/http/openapi.ts';
import { registerRateLimit } from './platform/http/rate-limit.ts';
import { registerSecurityHeaders } from './platform/http/security.ts';
import { isWebAppBuilt, registerWebApp, spaFallback } from './platform/http/web.ts';
import { outboxRoutes } from './platform/mail/outbox.routes.ts';
import { createMetrics, registerMetrics, type Metrics } from './platform/metrics.ts';
import { opsRoutes } from './platform/ops.routes.ts';
import type { Listening } from './platform/db/notifications.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** This process's subscription to auth changes (decision 070). */
    authChanges: Listening;
    /** This process's subscription to changes of what GET /me shows (decision 106). */
    accountChanges: Listening;
  }
}

export const defaultWebRoot = fileURLToPath(new URL('../web/dist', import.meta.url));

export interface AppDeps extends Pick<PlatformParts, 'config' | 'database' | 'queue' | 'storage' | 'log'> {
  /** Every module, built once by the composition root (compose.ts). */
  modules: Modules;
  metrics?: Metrics;
  /** Where the built SPA lives; null serves no web app (API only). */
  webRoot?: string | null;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Cookies are marked Secure whenever the app is served over https (always in production). */
const secureCookies = (config: Config): boolean => config.isProduction || Boolean(config.publicUrl?.startsWith('https:'));

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, modules } = deps;
  const app = Fastify({
    loggerInstance: deps.log,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    frameworkErrors,
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

  registerAuth(app, modules.accounts.resolvePrincipal);
  // Account views are served only while this process hears every change to them, and answers that
  // may have written wait until it has (decision 106); the hook must be in place before the routes.
  const accountChanges = await followAccountChanges(deps.database, modules.accounts.ctx.accountViews, deps.log);
  app.addHook('onClose', () => accountChanges.close());
  app.decorate('accountChanges', accountChanges);
  answerAfterChangesHeard(app, accountChanges, (userId) => modules.accounts.ctx.accountViews.forgetUser(userId));

  await app.register(
    async (api) => {
      await accountsRoutes(api, modules.accounts, { secureCookies: secureCookies(config) });
      await billingRoutes(api, modules.billing);
      await mediaRoutes(api, modules.media, { maxUploadBytes: config.uploads.maxBytes });
      await privacyRoutes(api, modules.privacy);
      await adminSystemRoutes(api, modules.system, modules.systemMetrics);
      await adminUsersRoutes(api, modules.adminUsers);
      await adminRecordsRoutes(api, modules.adminRecords);
      await adminAnalyticsRoutes(api, modules.analytics);
      await notificationsRoutes(api, modules.notifications);
      await configRoutes(api, config);
      await catalogRoutes(api, modules.catalog);
      await generationRoutes(api, modules.generation);
      await subjectsRoutes(api, modules.subjects, modules.generation.idempotency);
      if (config.devOutbox.enabled) await outboxRoutes(api, { db: deps.database.db, access: config.devOutbox.access });
    },
    { prefix: '/api/v1' },
  );
  await opsRoutes(app, { database: deps.database, queue: deps.queue, metrics, storage: deps.storage, config: deps.config });

  if (serveWeb) await registerWebApp(app, { root: webRoot });

  // Principals are cached only while this process hears every revocation (decision 070).
  const authChanges = await followAuthChanges(deps.database, modules.accounts.ctx.principals, deps.log);
  app.addHook('onClose', () => authChanges.close());
  app.decorate('authChanges', authChanges);

  await app.ready();
  return app;
}
