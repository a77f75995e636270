/** What other modules and the composition root may use of media. */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { assetsRoutes } from './assets.routes.ts';
import { createAssetsService, type AssetsService } from './assets.service.ts';
import { collectionsRoutes } from './collections.routes.ts';
import { createCollectionsService, type CollectionsService } from './collections.service.ts';
import type { MediaDeps } from './context.ts';
import { createZipService, type ZipService } from './zip.service.ts';

export type { AssetsService } from './assets.service.ts';
export type { MediaLimits } from './limits.ts';
export type { MediaDeps } from './context.ts';
export { retentionHandler, retentionJob, sweepExpiredAssets, type AssetInUse, type RetentionDeps } from './retention.ts';
export { assets, collections, collectionItems, type AssetKind } from './media.tables.ts';
export { styleReferenceAsset, readStyleReference } from './style-references.ts';
export { readOwnedAsset, unownedAssetIds, writeResultFiles, insertResultAssets, deleteResultFiles, resultAssetsOf, type ResultImage, type ResultStoreDeps } from './results.ts';
export { createAssetLinks, type AssetLinks } from './asset-view.ts';
export { assetFolderOf } from './files.ts';
export type { AssetRow, NewAsset } from './assets.queries.ts';
export type { TAsset } from './media.dto.ts';
export { ZAsset } from './media.dto.ts';

export interface MediaModule {
  assets: AssetsService;
  /** Where uploads wait while they are checked: on the data disk, not a RAM-backed /tmp. */
  uploadTmpDir: string;
  collections: CollectionsService;
  zip: ZipService;
}

export function createMediaModule(ctx: MediaDeps): MediaModule {
  return {
    assets: createAssetsService(ctx),
    uploadTmpDir: path.join(ctx.config.dataDir, 'tmp', 'uploads'),
    collections: createCollectionsService(ctx),
    zip: createZipService(ctx),
  };
}

export async function mediaRoutes(app: FastifyInstance, media: MediaModule, opts: { maxUploadBytes: number }): Promise<void> {
  // Its own encapsulated plugin, so multipart parsing stays inside media's routes.
  await app.register(async (scoped) => assetsRoutes(scoped, media.assets, media.zip, { ...opts, tmpDir: media.uploadTmpDir }));
  await collectionsRoutes(app, media.collections);
}
