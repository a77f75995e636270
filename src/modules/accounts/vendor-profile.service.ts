/**
 * A vendor's own profile (PATCH /me/vendor-profile, decision 045). The vendor edits name, address
 * (slug), bio, contact, links and location; `is_verified` has one writer, the admin path
 * (PATCH /admin/users/{id} `vendor_verified`, admin-users.service.ts), which audits before and after.
 */
import { errors } from '../../platform/http/errors.ts';
import type { TPatchVendorProfileBody, TVendorProfile } from './accounts.dto.ts';
import * as uq from './accounts.queries.ts';
import type { AccountsContext } from './context.ts';
import { toVendorProfileView } from './vendor-profile-view.ts';

const slugTaken = () => errors.conflict('This page address (slug) is taken by another vendor.');

/** Postgres' unique_violation, wherever the driver nests it. */
const isUniqueViolation = (e: unknown): boolean => {
  for (let cur: unknown = e; cur && typeof cur === 'object'; cur = (cur as { cause?: unknown }).cause) {
    if ((cur as { code?: unknown }).code === '23505') return true;
  }
  return false;
};

export function createVendorProfileService(ctx: AccountsContext) {
  /** Vendors only: any other role is a 403 (the route exists for them, the resource does not). */
  async function update(userId: string, body: TPatchVendorProfileBody): Promise<TVendorProfile> {
    const user = await uq.findUserById(ctx.db, userId);
    if (!user) throw errors.notFound('User');
    if (user.role !== 'vendor') throw errors.forbidden('Only vendor accounts have a vendor profile.');
    const current = await uq.findVendorProfile(ctx.db, userId);
    if (!current) throw errors.notFound('Vendor profile');
    if (body.slug !== undefined && body.slug !== current.slug && (await uq.slugTakenByOther(ctx.db, body.slug, userId))) throw slugTaken();

    const profileInfo = { ...current.profileInfo };
    for (const field of ['bio', 'location'] as const) {
      const value = body[field];
      if (value === null || value === '') delete profileInfo[field];
      else if (value !== undefined) profileInfo[field] = value;
    }
    try {
      const row = await uq.updateVendorProfile(ctx.db, userId, {
        ...(body.business_name !== undefined ? { businessName: body.business_name } : {}),
        ...(body.slug !== undefined ? { slug: body.slug } : {}),
        ...(body.contact_info !== undefined ? { contactInfo: body.contact_info } : {}),
        ...(body.social_links !== undefined ? { socialLinks: body.social_links } : {}),
        profileInfo,
        updatedAt: ctx.clock.now(),
      });
      if (!row) throw errors.notFound('Vendor profile');
      return toVendorProfileView(row);
    } catch (e) {
      // Two vendors taking the same free slug at once: the unique index decides, the loser gets a 409.
      if (isUniqueViolation(e)) throw slugTaken();
      throw e;
    }
  }

  return { update };
}
