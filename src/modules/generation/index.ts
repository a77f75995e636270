/** What other modules, the app and the CLI may use of the generation engine. */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { createIdempotency } from '../../platform/http/idempotency.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Queue } from '../../platform/queue/queue.ts';
import type { Storage } from '../../platform/storage/index.ts';
import { createLedger, createPlanLimits } from '../billing/index.ts';
import { createAssetLinks } from '../media/index.ts';
import { generationAdminRoutes } from './admin.routes.ts';
import { batchesRoutes } from './batches.routes.ts';
import { createBatchesService } from './batches.service.ts';
import { createGenerationAdminService } from './admin.service.ts';
import { createCatalogLookup } from '../catalog/index.ts';
import type { GenerationContext, GenerationOptions } from './context.ts';
import { createEventStreams } from './events.ts';
import { generationRoutes as userRoutes } from './generation.routes.ts';
import { createGenerationService } from './generation.service.ts';
import { createProviders } from './providers/index.ts';
import { createProviderChoice } from './provider-choice.ts';
import { statusBusFor } from './status-bus.ts';
import { createGenerationViews } from './view.ts';

export type { GenerationContext, GenerationOptions, WatermarkFor, CatalogLookup, SettledGeneration, SubjectForEngine } from './context.ts';
export { generationJobDefinitions, generationJobHandlers, runJob, reconcileJob } from './generation.jobs.ts';
export { webhookJob, signWebhook } from './webhooks.ts';
export { reconcileOverdue } from './reconcile.ts';
export { statusBusFor, type StatusBus } from './status-bus.ts';
export { applyWatermark } from './watermark.ts';
export { createProviders } from './providers/index.ts';
export { generations, generationPrices, generationBatches, providerCalls, apiCosts, usageStats, webhookDeliveries } from './generation.tables.ts';

export interface GenerationDeps extends GenerationOptions {
  database: Database;
  queue: Queue;
  clock: Clock;
  storage: Storage;
  config: Config;
  log: Logger;
  /** Signs the output links in responses and webhook bodies. */
  secret: string;
}

/** Everything the services and the worker share, from the app's (or the worker's) dependencies. */
export function createGenerationContext(deps: GenerationDeps): GenerationContext {
  const db = deps.database.db;
  // The owner's plan decides the watermark and how long results are kept.
  const plans = createPlanLimits({ db, clock: deps.clock });
  const providers = deps.providers ?? createProviders(deps.config, { clock: deps.clock, log: deps.log, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  return {
    db,
    database: deps.database,
    queue: deps.queue,
    clock: deps.clock,
    storage: deps.storage,
    config: deps.config,
    log: deps.log,
    ledger: createLedger({ clock: deps.clock }),
    bus: statusBusFor(deps.database, deps.log),
    providerChoice: createProviderChoice(deps.config.generation, providers),
    views: createGenerationViews(createAssetLinks({ storage: deps.storage, clock: deps.clock, secret: deps.secret, config: deps.config })),
    watermarkFor: deps.watermarkFor ?? plans.hasWatermark,
    catalog: deps.catalog ?? createCatalogLookup({ db, clock: deps.clock }),
    limits: deps.limits ?? plans,
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
  };
}
export type GenerationModule = ReturnType<typeof createGenerationModule>;

export async function generationRoutes(app: FastifyInstance, generation: GenerationModule): Promise<void> {
  await userRoutes(app, generation.service, generation.streams, generation.idempotency);
  await batchesRoutes(app, generation.batches, generation.idempotency);
  await generationAdminRoutes(app, generation.admin);
  // Open event streams end at shutdown instead of holding the server open until their generation ends.
  app.addHook('preClose', async () => generation.streams.closeAll());
  app.addHook('onClose', async () => generation.context.bus.close());
}
