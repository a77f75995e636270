/** What other modules and the app may use of media. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import type { Logger } from '../../platform/logger.ts';
import { assetsRoutes } from './assets.routes.ts';
import { createAssetsService, type AssetsService } from './assets.service.ts';
import { collectionsRoutes } from './collections.routes.ts';
import { createCollectionsService, type CollectionsService } from './collections.service.ts';
import type { RetentionDays } from './context.ts';

export type { AssetsService } from './assets.service.ts';
export type { RetentionDays } from './context.ts';
export { assets, collections, collectionItems, type AssetKind } from './media.tables.ts';

export interface MediaModule {
  assets: AssetsService;
  collections: CollectionsService;
}

export function createMediaModule(
  deps: Pick<AppDeps, 'database' | 'storage' | 'clock' | 'secret' | 'config'> & { log: Logger; retentionDays?: RetentionDays },
): MediaModule {
  const ctx = {
    db: deps.database.db,
    storage: deps.storage,
    clock: deps.clock,
    secret: deps.secret,
    config: deps.config,
    log: deps.log,
    ...(deps.retentionDays ? { retentionDays: deps.retentionDays } : {}),
  };
  return { assets: createAssetsService(ctx), collections: createCollectionsService(ctx) };
}

export async function mediaRoutes(app: FastifyInstance, media: MediaModule, opts: { maxUploadBytes: number }): Promise<void> {
  // Its own encapsulated plugin, so multipart parsing stays inside media's routes.
  await app.register(async (scoped) => assetsRoutes(scoped, media.assets, opts));
  await collectionsRoutes(app, media.collections);
}
