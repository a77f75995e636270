/** What other modules and the composition root may use of the generation engine. */
import type { FastifyInstance } from 'fastify';
import { createIdempotency } from '../../platform/http/idempotency.ts';
import { createLanguagePicker } from '../../platform/http/language.ts';
import { findUserById } from '../accounts/index.ts';
import { generationAdminRoutes } from './admin.routes.ts';
import { templatePreviewRoutes } from './template-preview.routes.ts';
import { batchesRoutes } from './batches.routes.ts';
import { createBatchesService } from './batches.service.ts';
import { createGenerationAdminService } from './admin.service.ts';
import type { GenerationContext, GenerationDeps } from './context.ts';
import { createEventStreams } from './events.ts';
import { generationRoutes as userRoutes } from './generation.routes.ts';
import { createGenerationService } from './generation.service.ts';
import { createProviderChoice } from './provider-choice.ts';
import { statusBusFor } from './status-bus.ts';
import { createGenerationViews } from './view.ts';

export type { GenerationContext, GenerationDeps, GenerationOptions, WatermarkFor } from './context.ts';
export { generationJobDefinitions, generationJobHandlers, runJob, reconcileJob } from './generation.jobs.ts';
export { webhookJob, signWebhook } from './webhooks.ts';
export { reconcileOverdue } from './reconcile.ts';
export { statusBusFor, type StatusBus } from './status-bus.ts';
export { applyWatermark } from './watermark.ts';
export { createProviders } from './providers/index.ts';
export { subjectPhotoMinSide } from './subject-preflight.ts';
export { generations, generationPrices, generationBatches, providerCalls, apiCosts, usageStats, webhookDeliveries } from './generation.tables.ts';

/** Everything the services and the worker share, from the engine's dependencies. */
export function createGenerationContext(deps: GenerationDeps): GenerationContext {
  return {
    db: deps.db,
    database: deps.database,
    queue: deps.queue,
    clock: deps.clock,
    storage: deps.storage,
    config: deps.config,
    log: deps.log,
    ledger: deps.ledger,
    bus: statusBusFor(deps.database, deps.log),
    providerChoice: createProviderChoice(deps.config.generation, deps.providers),
    views: createGenerationViews(deps.links),
    watermarkFor: deps.watermarkFor,
    catalog: deps.catalog,
    limits: deps.limits,
    quotaPlan: deps.quotaPlan,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  };
}

export function createGenerationModule(deps: GenerationDeps) {
  const context = createGenerationContext(deps);
  return {
    context,
    service: createGenerationService(context),
    batches: createBatchesService(context),
    admin: createGenerationAdminService(context),
    streams: createEventStreams(context),
    idempotency: createIdempotency({ db: context.db, clock: context.clock }),
    // The language of the type catalogue's words: the user's preference, else Accept-Language (decision 104).
    language: createLanguagePicker({
      locales: deps.config.preset.locales,
      defaultLocale: deps.config.preset.defaultLocale,
      userLocale: async (userId) => (await findUserById(deps.db, userId))?.locale ?? null,
    }),
  };
}
export type GenerationModule = ReturnType<typeof createGenerationModule>;

export async function generationRoutes(app: FastifyInstance, generation: GenerationModule): Promise<void> {
  await userRoutes(app, generation.service, generation.streams, generation.idempotency, generation.language);
  await batchesRoutes(app, generation.batches, generation.idempotency);
  await generationAdminRoutes(app, generation.admin);
  await templatePreviewRoutes(app, generation.context.catalog);
  // Open event streams end at shutdown instead of holding the server open until their generation ends.
  app.addHook('preClose', async () => generation.streams.closeAll());
  app.addHook('onClose', async () => generation.context.bus.close());
}
