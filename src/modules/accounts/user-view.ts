/** The public shape of a user (GET /me and every auth response). */
import type { DbOrTx } from '../../platform/db/types.ts';
import type { TUser } from './accounts.dto.ts';
import { findVendorProfile, type UserRow } from './accounts.queries.ts';
import type { AccountsDeps, AccountWithCredits } from './context.ts';
import { toVendorProfileView } from './vendor-profile-view.ts';

/** A view, and the moment it stops being right without any write (null: not before one). */
export interface TimedUserView {
  view: TUser;
  validUntil: Date | null;
}

/**
 * `avatar_url` links to the avatar asset's image (signed and expiring, so it is made per response),
 * or falls back to a stored external URL; null when neither exists (or the asset was deleted).
 * Balance and `plan` come from billing through the handed-in `credits` and `planOf`.
 */
export async function toUserView(db: DbOrTx, user: UserRow, views: Pick<AccountsDeps, 'credits' | 'planOf' | 'avatarUrl'>): Promise<TUser> {
  const [balance, plan] = await Promise.all([views.credits.balanceOf(db, user.id), views.planOf(user.id)]);
  const { view } = await accountView(db, { user, credits: { available: balance?.available ?? 0, held: balance?.held ?? 0 }, plan }, views);
  return view;
}

/**
 * The view of an account whose balance and plan were already read (GET /me reads them with the
 * user), with when it goes stale by itself: the avatar link's end, or the subscription period's
 * (the plan in force changes then, decided by billing's effectivePlan).
 */
export async function accountView(db: DbOrTx, { user, credits, plan }: AccountWithCredits, views: Pick<AccountsDeps, 'avatarUrl'>): Promise<TimedUserView> {
  const [vendor, avatar] = await Promise.all([
    user.role === 'vendor' ? findVendorProfile(db, user.id) : Promise.resolve(undefined),
    user.avatarAssetId ? views.avatarUrl(user.id, user.avatarAssetId) : Promise.resolve(null),
  ]);
  const ends = [avatar?.showUntil, plan?.current_period_end ? new Date(plan.current_period_end) : undefined].filter((d): d is Date => d !== undefined);
  const view: TUser = {
    id: user.id,
    email: user.email,
    phone: user.phone,
    full_name: user.fullName,
    bio: user.bio,
    company: user.company,
    avatar_asset_id: user.avatarAssetId,
    avatar_url: avatar?.url ?? user.avatarUrl,
    locale: user.locale,
    role: user.role,
    is_active: user.isActive,
    email_verified: user.emailVerifiedAt !== null,
    phone_verified: user.phoneVerifiedAt !== null,
    credits,
    plan,
    ...(vendor
      ? {
          vendor_profile: toVendorProfileView(vendor),
        }
      : {}),
    last_login_at: user.lastLoginAt?.toISOString() ?? null,
    created_at: user.createdAt.toISOString(),
  };
  return { view, validUntil: ends.length ? new Date(Math.min(...ends.map((d) => d.getTime()))) : null };
}
