/**
 * The public shape of a vendor profile (GET /me, PATCH /me/vendor-profile, admin answers). `bio` and
 * `location` live in the `profile_info` JSON column (no migration for two free-text fields); they are
 * also lifted out as top-level fields so clients need not know that.
 */
import type { TVendorProfile } from './accounts.dto.ts';
import type { VendorProfileRow } from './accounts.queries.ts';

const textOf = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function toVendorProfileView(row: VendorProfileRow): TVendorProfile {
  return {
    business_name: row.businessName,
    slug: row.slug,
    bio: textOf(row.profileInfo.bio),
    location: textOf(row.profileInfo.location),
    profile_info: row.profileInfo,
    contact_info: row.contactInfo,
    social_links: row.socialLinks,
    is_verified: row.isVerified,
  };
}
