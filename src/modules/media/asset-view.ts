/** The API shape of an asset, with expiring links to its bytes. */
import type { TAsset } from './media.dto.ts';
import type { AssetRow } from './assets.queries.ts';
import type { MediaDeps } from './context.ts';
import { LINK_TTL_SEC, linkExpiry, signLink, type Variant } from './signing.ts';

export function createAssetLinks(deps: Pick<MediaDeps, 'storage' | 'clock' | 'secret' | 'config'>) {
  const base = `${deps.config.publicUrl?.replace(/\/$/, '') ?? ''}/api/v1/assets`;

  async function link(row: AssetRow, variant: Variant): Promise<string | null> {
    const key = variant === 'content' ? row.storageKey : row.thumbnailKey;
    if (!key) return null;
    const presigned = await deps.storage.presignedUrl(key, {
      expiresInSec: LINK_TTL_SEC,
      contentType: variant === 'content' ? row.mimeType : 'image/webp',
    });
    if (presigned) return presigned;
    const expires = linkExpiry(deps.clock.now());
    return `${base}/${row.id}/${variant}?expires=${expires}&sig=${signLink(deps.secret, row.id, variant, expires)}`;
  }

  async function view(row: AssetRow): Promise<TAsset> {
    return {
      id: row.id,
      kind: row.kind,
      filename: row.filename,
      mime_type: row.mimeType,
      size_bytes: row.sizeBytes,
      width: row.width,
      height: row.height,
      url: (await link(row, 'content'))!,
      thumbnail_url: await link(row, 'thumbnail'),
      is_public: row.isPublic,
      is_favorite: row.isFavorite,
      rating: row.rating,
      notes: row.notes,
      tags: row.tags,
      generation_id: row.generationId,
      download_count: row.downloadCount,
      created_at: row.createdAt.toISOString(),
      expires_at: row.expiresAt?.toISOString() ?? null,
      sha256: row.sha256,
      is_selected: row.isSelected,
    };
  }

  return { link, view };
}
export type AssetLinks = ReturnType<typeof createAssetLinks>;
