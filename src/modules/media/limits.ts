/**
 * Plan limits media enforces. They come from the owner's effective plan, which belongs to billing;
 * the composition root hands them in (billing's `createPlanLimits`), so media does not import billing.
 */
import type { AssetKind } from './media.tables.ts';

export interface MediaLimits {
  /** How long a user's files of a kind are kept, in days; null = for good. */
  retentionDays(ownerId: string, kind: AssetKind): Promise<number | null>;
  /** How many distinct images a user may have in their collections; null = no limit. */
  galleryImages(ownerId: string): Promise<number | null>;
}
